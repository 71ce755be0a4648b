/**
 * A configuration set's physical memory map as SVG on an address axis: one lane for the
 * platform (hypervisor memory, MMCONFIG, IOMMU and interrupt-controller windows), one for the
 * root cell and one per non-root cell. In the root's lane, each non-root region taken out of
 * root's RAM is drawn hatched over the root region it was carved from, so where each cell's memory
 * came from is visible. Overlaps between non-root cells are linked: declared sharing (an ivshmem
 * region, ROOTSHARED on both sides, or a range of the sharing policy) in amber, anything else as a
 * violation in red. Hovering a box shows its descriptor and where it was read from.
 *
 * The axis is piecewise: every span between two region boundaries gets a width growing with the
 * logarithm of its size, so a 4 KiB window next to 1 GiB of RAM stays visible; address ranges that
 * nothing maps are elided (drawn as a break). Mermaid has no such diagram, hence SVG by hand.
 */
import { type CellConfig, type ConfigSet, flagNamesOf, type MemoryRegion, memFlags } from "../../hypervisor/index.js";
import type { DeclaredSharing } from "../mermaid/memoryMap.js";

interface Box {
  readonly lane: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly label: string;
  readonly title: string;
  readonly kind: "ram" | "io" | "shared" | "platform" | "carved" | "comm";
}

const hex = (n: bigint) => `0x${n.toString(16)}`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function sizeText(n: bigint): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  let v = n;
  while (v >= 1024n && v % 1024n === 0n && u < units.length - 1) {
    v /= 1024n;
    u++;
  }
  return `${v} ${units[u]}`;
}

const rwx = (m: MemoryRegion) => {
  const names = flagNamesOf(memFlags, m.flags);
  const head = ["READ", "WRITE", "EXECUTE"].map((f, i) => (names.includes(f) ? "RWX"[i] : "-")).join("");
  return [head, ...names.filter((f) => !["READ", "WRITE", "EXECUTE"].includes(f))].join(" ");
};

/** The memory regions a lane draws: non-empty and not the comm region (which is not physical memory). */
const physical = (c: CellConfig) =>
  c.memory_regions.map((m, i) => ({ m, i })).filter(({ m }) => m.size > 0n && (m.flags & memFlags.COMM_REGION) === 0n);

const overlaps = (a: { start: bigint; end: bigint }, b: { start: bigint; end: bigint }) =>
  a.start < b.end && b.start < a.end;

/** Byte offset of array element `index` in a binary input, when the loader recorded it. */
function whereText(origin: ConfigSet["system"]["origin"], cellField: string, index: number): string {
  const offset = origin.offsets?.memory_regions?.[index];
  const at = offset === undefined ? "" : `, byte 0x${offset.toString(16)}`;
  return `${origin.file}: ${cellField}memory_regions[${index}]${at}`;
}

export interface MemoryMapSvg {
  readonly svg: string;
  /** Lane names in drawing order: "platform", the root, then each non-root cell. */
  readonly lanes: readonly string[];
  /** Overlaps between non-root cells that no declaration allows. */
  readonly violations: number;
}

/**
 * `shownPath` turns an input's path into the one a reader sees (the dossier's are relative to the
 * working directory or the file's repository).
 */
export function memoryMapSvg(
  set: ConfigSet,
  declared: readonly DeclaredSharing[] = [],
  shownPath: (file: string) => string = (f) => f,
): MemoryMapSvg {
  const sys = set.system.config;
  const root = sys.root_cell;
  const lanes = ["platform", `${root.name} (root)`, ...set.cells.map((c) => c.config.name)];
  const boxes: Box[] = [];
  const platform = (start: bigint, size: bigint, label: string, what: string) =>
    boxes.push({
      lane: 0,
      start,
      end: start + size,
      label,
      title: `${what}: ${hex(start)}–${hex(start + size - 1n)} (${sizeText(size)}), ${shownPath(set.system.origin.file)}`,
      kind: "platform",
    });
  const hv = sys.hypervisor_memory;
  platform(hv.phys_start, hv.size, "hypervisor", "hypervisor memory");
  const p = sys.platform;
  if (p.pci_mmconfig_base !== 0n)
    platform(p.pci_mmconfig_base, BigInt(p.pci_mmconfig_end_bus + 1) << 20n, "MMCONFIG", "PCI MMCONFIG window");
  p.iommu_units.forEach((u, i) => {
    if (u.size > 0) platform(u.base, BigInt(u.size), `IOMMU ${i}`, `IOMMU unit ${i}`);
  });
  // Interrupt-controller windows: their sizes are architectural, the configuration gives only bases.
  if (p.arch.kind === "arm") {
    const gic = p.arch;
    for (const [name, base, size] of [
      ["GICD", gic.gicd_base, 0x10000n],
      ["GICC", gic.gicc_base, 0x2000n],
      ["GICH", gic.gich_base, 0x2000n],
      ["GICV", gic.gicv_base, 0x2000n],
      ["GICR", gic.gicr_base, 0x20000n],
    ] as const)
      if (base !== 0n) platform(base, size, name, `${name} window`);
  }
  root.irqchips.forEach((chip, i) => {
    if (p.arch.kind === "x86") platform(chip.address, 0x1000n, `IOAPIC ${i}`, `IOAPIC ${i} (irqchips[${i}])`);
  });

  const cells = [
    { config: root, origin: set.system.origin, field: "root_cell." },
    ...set.cells.map((c) => ({ config: c.config, origin: c.origin, field: "" })),
  ];
  const placed: { cell: number; i: number; m: MemoryRegion; start: bigint; end: bigint }[] = [];
  cells.forEach(({ config, origin, field }, c) => {
    for (const { m, i } of physical(config)) {
      const shared = (m.flags & memFlags.ROOTSHARED) !== 0n;
      const io = (m.flags & memFlags.IO) !== 0n;
      const start = m.phys_start;
      const end = m.phys_start + m.size;
      boxes.push({
        lane: c + 1,
        start,
        end,
        label: `${i}`,
        title: `${config.name} region ${i}: ${hex(start)}–${hex(end - 1n)} (${sizeText(m.size)}) ${rwx(m)}; ${whereText({ ...origin, file: shownPath(origin.file) }, field, i)}`,
        kind: shared ? "shared" : io ? "io" : "ram",
      });
      placed.push({ cell: c, i, m, start, end });
    }
  });
  // Carve-outs: a non-root region inside root's RAM is what create takes away from root.
  for (const r of placed.filter((x) => x.cell === 0)) {
    for (const n of placed.filter((x) => x.cell > 0 && overlaps(x, r))) {
      if ((n.m.flags & memFlags.ROOTSHARED) !== 0n && (r.m.flags & memFlags.ROOTSHARED) !== 0n) continue;
      const start = n.start > r.start ? n.start : r.start;
      const end = n.end < r.end ? n.end : r.end;
      const name = cells[n.cell]?.config.name ?? "";
      boxes.push({
        lane: 1,
        start,
        end,
        label: `→${name}`,
        title: `carved out of ${root.name} region ${r.i} for ${name} (its region ${n.i}): ${hex(start)}–${hex(end - 1n)}`,
        kind: "carved",
      });
    }
  }
  const links: { a: (typeof placed)[number]; b: (typeof placed)[number]; start: bigint; end: bigint; ok: boolean }[] =
    [];
  const nonRoot = placed.filter((x) => x.cell > 0);
  nonRoot.forEach((a, k) => {
    for (const b of nonRoot.slice(k + 1)) {
      if (a.cell === b.cell || !overlaps(a, b)) continue;
      const start = a.start > b.start ? a.start : b.start;
      const end = a.end < b.end ? a.end : b.end;
      const names = [cells[a.cell]?.config.name, cells[b.cell]?.config.name];
      const bothShared = (a.m.flags & b.m.flags & memFlags.ROOTSHARED) !== 0n;
      const policy = declared.some(
        (d) => names.every((n) => n !== undefined && d.cells.includes(n)) && d.start <= start && end <= d.end,
      );
      links.push({ a, b, start, end, ok: bothShared || policy });
    }
  });
  return { svg: render(lanes, boxes, links), lanes, violations: links.filter((l) => !l.ok).length };
}

const laneH = 30;
const laneGap = 10;
const left = 170;
const top = 34;
const gapW = 22;

/** x position of every boundary: log-sized spans where something is mapped, fixed breaks where nothing is. */
function axis(boxes: readonly Box[]): { x: Map<bigint, number>; width: number; breaks: number[] } {
  const points = [...new Set(boxes.flatMap((b) => [b.start, b.end]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const x = new Map<bigint, number>();
  const breaks: number[] = [];
  let pos = left;
  points.forEach((pt, k) => {
    if (k > 0) {
      const prev = points[k - 1] as bigint;
      const covered = boxes.some((b) => b.start <= prev && pt <= b.end && b.kind !== "carved");
      if (covered) pos += Math.min(150, 26 + 7 * Math.max(0, Math.log2(Number(pt - prev) / 4096)));
      else {
        breaks.push(pos + gapW / 2);
        pos += gapW;
      }
    }
    x.set(pt, pos);
  });
  return { x, width: pos + 90, breaks };
}

function render(
  lanes: readonly string[],
  boxes: readonly Box[],
  links: readonly { a: { cell: number }; b: { cell: number }; start: bigint; end: bigint; ok: boolean }[],
): string {
  const { x, width, breaks } = axis(boxes);
  const laneY = (lane: number) => top + lane * (laneH + laneGap);
  const height = laneY(lanes.length) + 84;
  const at = (a: bigint) => x.get(a) ?? left;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="memory-map" width="${Math.ceil(width)}" height="${height}" viewBox="0 0 ${Math.ceil(width)} ${height}" font-family="sans-serif" font-size="11">`,
    '<defs><pattern id="carve" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#dbe9f7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#4a78a8" stroke-width="2"/></pattern></defs>',
    legend(),
  ];
  lanes.forEach((name, lane) => {
    const y = laneY(lane);
    out.push(
      `<g class="lane" data-lane="${esc(name)}"><rect x="0" y="${y}" width="${Math.ceil(width)}" height="${laneH}" fill="${lane % 2 ? "#fafafa" : "#f2f2f2"}"/>`,
      `<text x="8" y="${y + laneH / 2 + 4}" font-weight="bold">${esc(name.length > 24 ? `${name.slice(0, 23)}…` : name)}</text></g>`,
    );
  });
  const fill = {
    ram: "#cfe8cf",
    io: "#e8f0fe",
    shared: "#ffe8a8",
    platform: "#d9d2e9",
    carved: "url(#carve)",
    comm: "#eee",
  };
  for (const b of boxes) {
    const x0 = at(b.start);
    const w = Math.max(2, at(b.end) - x0);
    const y = laneY(b.lane) + (b.kind === "carved" ? 6 : 3);
    const h = b.kind === "carved" ? laneH - 12 : laneH - 6;
    out.push(
      `<g class="region ${b.kind}"><title>${esc(b.title)}</title><rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="${fill[b.kind]}" stroke="#555" stroke-width="0.6"/>`,
      w > 7 * b.label.length + 6
        ? `<text x="${(x0 + 4).toFixed(1)}" y="${y + h / 2 + 4}">${esc(b.label)}</text></g>`
        : "</g>",
    );
  }
  for (const l of links) {
    const x0 = (at(l.start) + at(l.end)) / 2;
    const [ya, yb] = [laneY(l.a.cell + 1) + laneH - 3, laneY(l.b.cell + 1) + 3];
    out.push(
      `<line class="${l.ok ? "shared-link" : "violation"}" x1="${x0.toFixed(1)}" y1="${ya}" x2="${x0.toFixed(1)}" y2="${yb}" stroke="${l.ok ? "#c08a00" : "#c0392b"}" stroke-width="${l.ok ? 2 : 3}" stroke-dasharray="${l.ok ? "4 3" : "0"}"><title>${l.ok ? "declared sharing" : "VIOLATION: undeclared overlap"} ${hex(l.start)}–${hex(l.end - 1n)}</title></line>`,
    );
    if (!l.ok)
      out.push(
        `<rect class="violation" x="${at(l.start).toFixed(1)}" y="${laneY(l.a.cell + 1)}" width="${Math.max(2, at(l.end) - at(l.start)).toFixed(1)}" height="${yb - laneY(l.a.cell + 1) + laneH - 3}" fill="none" stroke="#c0392b" stroke-width="2"/>`,
      );
  }
  const base = laneY(lanes.length);
  for (const b of breaks)
    out.push(
      `<text x="${b}" y="${base - 2}" text-anchor="middle" fill="#888"><title>nothing mapped here (elided)</title>⋯</text>`,
    );
  const ticks = [...x.entries()];
  let lastTick = -Infinity;
  for (const [addr, px] of ticks) {
    if (px - lastTick < 13) continue;
    lastTick = px;
    out.push(
      `<line x1="${px.toFixed(1)}" y1="${top}" x2="${px.toFixed(1)}" y2="${base}" stroke="#bbb" stroke-width="0.4"/>`,
      `<text x="${px.toFixed(1)}" y="${base + 8}" transform="rotate(55 ${px.toFixed(1)} ${base + 8})" fill="#333">${hex(addr)}</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}

function legend(): string {
  const items: [string, string][] = [
    ["#cfe8cf", "RAM"],
    ["#e8f0fe", "I/O"],
    ["#ffe8a8", "shared (ivshmem, ROOTSHARED)"],
    ["url(#carve)", "carved out of root for a cell"],
    ["#d9d2e9", "platform window"],
  ];
  let xPos = 8;
  const parts = items.map(([fill, text]) => {
    const g = `<rect x="${xPos}" y="8" width="14" height="12" fill="${fill}" stroke="#555" stroke-width="0.6"/><text x="${xPos + 18}" y="18">${esc(text)}</text>`;
    xPos += 30 + text.length * 6.2;
    return g;
  });
  parts.push(
    `<line x1="${xPos}" y1="14" x2="${xPos + 16}" y2="14" stroke="#c0392b" stroke-width="3"/><text x="${xPos + 20}" y="18">undeclared overlap (violation)</text>`,
  );
  return `<g class="legend">${parts.join("")}</g>`;
}
