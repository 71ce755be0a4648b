/**
 * Every invariant of semantics.md §2.3 checked on the real structures: CPU sets and per-CPU
 * owners, page tables, MMIO tables, device, pin, port and stream tables, and the page pool.
 * Returns all violations, not just the first, so a counterexample shows the whole damage.
 */
import { pciTypes } from "../config/flags.js";
import type { CellConfig } from "../config/types.js";
import { pinsOf } from "../config/yaml/index.js";
import { type Core, nonRootCells, rootCell } from "./context.js";
import { has, isSubpage } from "./memory.js";
import { forgetWalks, mappedLeafRuns, mappedRuns, pte, tableFrames } from "./pageTable.js";
import { pciKey } from "./pci.js";
import type { CellState } from "./state.js";

export interface InvariantViolation {
  /** Short identifier: cpu-partition, unique-cell, memory-exclusive, root-isolation, hypervisor-exposed, root-gains, pool-balance, device-/pin-/port-exclusive, cell-bounds. */
  readonly invariant: string;
  readonly message: string;
}

/**
 * Page-table walks are reused while a tree's change stamp holds (see pageTable.ts); `fresh` walks
 * every tree anew, for a check that trusts no cache.
 */
export function checkInvariants(core: Core, options: { readonly fresh?: boolean } = {}): InvariantViolation[] {
  if (options.fresh) forgetWalks(core.s);
  const out: InvariantViolation[] = [];
  const add = (invariant: string, message: string) => out.push({ invariant, message });
  cpuPartition(core, add);
  uniqueCells(core, add);
  memory(core, add);
  rootGains(core, add);
  pool(core, add);
  exclusive(core, add);
  withinConfig(core, add);
  return out;
}

type Add = (invariant: string, message: string) => void;

function cpuPartition(core: Core, add: Add): void {
  for (const [cpu, state] of core.s.cpus) {
    const owners = core.s.cells.filter((c) => c.cpus.has(cpu));
    if (owners.length !== 1) add("cpu-partition", `CPU ${cpu} is in ${owners.length} cells' CPU sets`);
    else if (owners[0]?.id !== state.cell)
      add("cpu-partition", `CPU ${cpu} names cell ${state.cell} but belongs to "${owners[0]?.name}"`);
  }
  for (const c of core.s.cells) {
    for (const cpu of c.cpus)
      if (!core.s.cpus.has(cpu)) add("cpu-partition", `cell "${c.name}" holds unconfigured CPU ${cpu}`);
  }
}

function uniqueCells(core: Core, add: Add): void {
  const names = core.s.cells.map((c) => c.name);
  const ids = core.s.cells.map((c) => c.id);
  if (new Set(names).size !== names.length || new Set(ids).size !== ids.length)
    add("unique-cell", "cell names or ids repeat");
}

interface HostSpan {
  readonly cell: CellState;
  readonly start: number;
  readonly end: number;
  readonly shared: boolean;
  readonly withRoot: boolean;
}

/** Host frames mapped into at most one non-root cell unless both declare sharing; no hypervisor frame but a cell's own comm page. */
function memory(core: Core, add: Add): void {
  const spans: HostSpan[] = [];
  const root = rootCell(core);
  const poolStart = core.s.poolBase;
  const poolEnd = poolStart + core.s.poolUsed.length;
  for (const cell of core.s.cells) {
    const loading = cell.loadable ? configured(cell.config).loadableFrames : [];
    for (const l of mappedRuns(core.s, core.arch.paging, cell.pageTable)) {
      for (const [start, end] of excluding(l.frame, l.frame + l.count, cell.dataFrames[0])) {
        if (start < poolEnd && poolStart < end) {
          add(
            "hypervisor-exposed",
            `cell "${cell.name}" maps hypervisor frames 0x${Math.max(start, poolStart).toString(16)}..`,
          );
        }
        // A loadable cell's LOADABLE regions are root's to write images into: shared with root only.
        const withRoot = loading.some(([first, last]) => first <= start && end <= last);
        spans.push({ cell, start, end, shared: (l.flags & pte.SHARED) !== 0, withRoot });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const a = spans[i] as HostSpan;
    for (let j = i + 1; j < spans.length && (spans[j] as HostSpan).start < a.end; j++) {
      const b = spans[j] as HostSpan;
      if (b.cell === a.cell) continue;
      const at = `host frame 0x${Math.max(a.start, b.start).toString(16)}`;
      if (a.cell === root || b.cell === root) {
        const cell = a.cell === root ? b : a;
        if (!cell.shared && !cell.withRoot)
          add("root-isolation", `${at} of "${cell.cell.name}" is also mapped in the root cell`);
      } else if (!(a.shared && b.shared)) {
        add("memory-exclusive", `${at} is mapped into "${a.cell.name}" and "${b.cell.name}"`);
      }
    }
  }
}

/** A cell holds no port, pin or PCI device beyond its own configuration. */
function withinConfig(core: Core, add: Add): void {
  for (const cell of nonRootCells(core)) {
    const allowed = configured(cell.config);
    beyond(cell.pio, allowed.ports, (port) =>
      add("cell-bounds", `"${cell.name}" holds I/O port 0x${port.toString(16)}`),
    );
    for (const key of cell.pci)
      if (!allowed.devices.has(key)) add("cell-bounds", `"${cell.name}" holds PCI device ${key}`);
    for (const [chip, held] of cell.pins)
      for (const pin of held)
        if (allowed.pins.get(chip)?.has(pin) !== true) add("cell-bounds", `"${cell.name}" holds pin ${pin} of ${chip}`);
  }
}

/** What a configuration grants, as the checks look it up: computed once per (immutable) configuration. */
interface Granted {
  /** One bit per I/O port, as `CellState.pio`. */
  readonly ports: Uint8Array;
  readonly devices: ReadonlySet<string>;
  /** The ivshmem endpoints among them (shared by design, not claimed). */
  readonly endpoints: ReadonlySet<string>;
  /** Pins by chip (its address in hex, as `CellState.pins` keys it). */
  readonly pins: ReadonlyMap<string, ReadonlySet<number>>;
  /**
   * Each page-mapped region as host frames [first, end): the frames wholly inside
   * [phys_start, phys_start + size rounded up to pages), so a leaf lies in the region iff it lies in them.
   */
  readonly pageFrames: readonly (readonly [number, number])[];
  /**
   * Each LOADABLE region as the host frames [first, last) a span [start, end) of frames lies in
   * exactly when its bytes lie in the region (first = phys_start rounded up, last = its end rounded down).
   */
  readonly loadableFrames: readonly (readonly [number, number])[];
}
const granted = new WeakMap<CellConfig, Granted>();

function configured(config: CellConfig): Granted {
  const known = granted.get(config);
  if (known) return known;
  const ports = new Uint8Array(8192);
  for (const r of config.pio_regions)
    for (let p = r.base; p < r.base + r.length; p++)
      if (p < 0x10000) ports[p >> 3] = (ports[p >> 3] as number) | (1 << (p & 7));
  const pins = new Map<string, Set<number>>();
  for (const c of config.irqchips) {
    const chip = `0x${c.address.toString(16)}`;
    const set = pins.get(chip) ?? new Set<number>();
    pins.set(chip, set);
    for (const p of pinsOf(c.pin_base, c.pin_bitmap)) set.add(p);
  }
  const g: Granted = {
    ports,
    devices: new Set(config.pci_devices.map(pciKey)),
    pageFrames: config.memory_regions
      .filter((m) => !isSubpage(m))
      .map(
        (m) =>
          [
            Number((m.phys_start + 4095n) / 4096n),
            Number((m.phys_start + ((m.size + 4095n) & ~4095n)) / 4096n),
          ] as const,
      ),
    loadableFrames: config.memory_regions
      .filter((m) => has(m, "LOADABLE"))
      .map((m) => [Number((m.phys_start + 4095n) / 4096n), Number((m.phys_start + m.size) / 4096n)] as const),
    endpoints: new Set(config.pci_devices.filter((d) => d.type === pciTypes.IVSHMEM).map(pciKey)),
    pins,
  };
  granted.set(config, g);
  return g;
}

/** Calls `found` for each port set in `held` but not in `allowed`, in increasing order. */
function beyond(held: Uint8Array, allowed: Uint8Array, found: (port: number) => void): void {
  const h = words(held);
  const a = words(allowed);
  // Four bytes at a time: nearly every word of a port bitmap is clear of extras.
  for (let w = 0; w < h.length; w++) {
    if (((h[w] as number) & ~(a[w] ?? 0)) === 0) continue;
    for (let byte = w * 4; byte < w * 4 + 4; byte++) {
      const extra = (held[byte] as number) & ~(allowed[byte] ?? 0);
      if (extra) for (let b = 0; b < 8; b++) if ((extra >> b) & 1) found(byte * 8 + b);
    }
  }
}

/** A port bitmap (8,192 bytes) read as 32-bit words. */
function words(bitmap: Uint8Array): Uint32Array {
  if (bitmap.byteOffset % 4 !== 0 || bitmap.length % 4 !== 0) throw new Error("port bitmap not word-aligned");
  return new Uint32Array(bitmap.buffer, bitmap.byteOffset, bitmap.length / 4);
}

/** [start, end) without the single frame `hole`. */
function excluding(start: number, end: number, hole: number | undefined): [number, number][] {
  if (hole === undefined || hole < start || hole >= end) return [[start, end]];
  return [
    [start, hole],
    [hole + 1, end],
  ].filter(([a, b]) => (a as number) < (b as number)) as [number, number][];
}

/** Root holds nothing beyond its configuration at enable. */
function rootGains(core: Core, add: Add): void {
  const root = rootCell(core);
  const regions = configured(root.config).pageFrames;
  // Raw leaves: each lies within the one region whose mapping made it (merged runs may span two).
  // A table's run inside one region has every leaf inside it; only other runs are read leaf by leaf.
  const within = (frame: number, count: number) =>
    regions.some(([first, end]) => first <= frame && frame + count <= end);
  for (const r of mappedLeafRuns(core.s, core.arch.paging, root.pageTable)) {
    if (within(r.frame, r.count)) continue;
    for (let k = 0; k < r.count; k += r.size) {
      if (!within(r.frame + k, r.size))
        add(
          "root-gains",
          `root maps host 0x${(BigInt(r.frame + k) * 4096n).toString(16)} that its configuration does not have`,
        );
    }
  }
  const allowed = configured(root.config);
  for (const key of root.pci)
    if (!allowed.devices.has(key)) add("root-gains", `root holds PCI device ${key} it never had`);
  for (const cpu of root.cpus)
    if (!root.config.cpus.includes(cpu)) add("root-gains", `root holds CPU ${cpu} it never had`);
  for (const [chip, held] of root.pins) {
    for (const pin of held)
      if (allowed.pins.get(chip)?.has(pin) !== true) add("root-gains", `root holds pin ${pin} of ${chip} it never had`);
  }
  beyond(root.pio, allowed.ports, (port) =>
    add("root-gains", `root holds I/O port 0x${port.toString(16)} it never had`),
  );
}

/** Every allocated pool frame is referenced exactly once, and nothing references a free frame. */
function pool(core: Core, add: Add): void {
  const used = core.s.poolUsed;
  // References per pool frame (frames outside the pool are not the pool's to balance).
  const refs = new Uint32Array(used.length);
  const ref = (f: number) => {
    const i = f - core.s.poolBase;
    if (i >= 0 && i < refs.length) refs[i] = (refs[i] as number) + 1;
  };
  for (const cell of core.s.cells) {
    for (const f of cell.dataFrames) ref(f);
    for (const f of cell.extraFrames) ref(f);
    for (const f of tableFrames(core.s, core.arch.paging, cell.pageTable)) ref(f);
  }
  for (const link of core.s.ivshmem) ref(link.frame);
  for (let i = 0; i < used.length; i++) {
    // A used frame referenced once or a free one not at all (1 = 1, 0 = 0) is balanced.
    if (refs[i] === used[i]) continue;
    const frame = core.s.poolBase + i;
    const n = refs[i] as number;
    if (used[i] && n === 0)
      add("pool-balance", `pool frame 0x${frame.toString(16)} is allocated but unreferenced (leak)`);
    if (!used[i] && n > 0) add("pool-balance", `pool frame 0x${frame.toString(16)} is free but in use`);
    if (n > 1) add("pool-balance", `pool frame 0x${frame.toString(16)} is referenced ${n} times`);
  }
}

/** Reports the ports of word `w` of cell `i`'s bitmap that earlier cells hold (`claimed`), naming the latest of them. */
function portClashes(cells: readonly CellState[], i: number, w: number, claimed: Uint8Array, add: Add): void {
  const cell = cells[i] as CellState;
  for (let byte = w * 4; byte < w * 4 + 4; byte++) {
    const clash = (cell.pio[byte] as number) & (claimed[byte] as number);
    for (let b = 0; b < 8; b++) {
      if (!((clash >> b) & 1)) continue;
      const prior = cells.slice(0, i).findLast((c) => ((c.pio[byte] ?? 0) >> b) & 1) as CellState;
      if (prior.name !== cell.name)
        add("port-exclusive", `port 0x${(byte * 8 + b).toString(16)} is held by "${prior.name}" and "${cell.name}"`);
    }
  }
}

/** Physical PCI devices, interrupt pins and I/O ports belong to at most one cell. */
function exclusive(core: Core, add: Add): void {
  const deviceHolders = new Map<string, string>();
  const pinHolders = new Map<string, string[]>();
  // Ports by bitmap: the ports earlier cells hold; a clash names the latest of them, as `seen` would.
  const claimed = new Uint8Array(8192);
  const claimedWords = words(claimed);
  core.s.cells.forEach((cell, i) => {
    const endpoints = configured(cell.config).endpoints;
    for (const key of cell.pci) {
      if (endpoints.has(key)) continue;
      const prior = deviceHolders.get(key);
      if (prior !== undefined && prior !== cell.name)
        add("device-exclusive", `device ${key} is held by "${prior}" and "${cell.name}"`);
      deviceHolders.set(key, cell.name);
    }
    for (const [chip, pins] of cell.pins) {
      // Pins by chip and number (no key string per pin); a clash names the latest holder.
      const holders = pinHolders.get(chip) ?? [];
      pinHolders.set(chip, holders);
      for (const pin of pins) {
        const prior = holders[pin];
        if (prior !== undefined && prior !== cell.name)
          add("pin-exclusive", `pin ${chip}:${pin} is held by "${prior}" and "${cell.name}"`);
        holders[pin] = cell.name;
      }
    }
    const held = words(cell.pio);
    for (let w = 0; w < held.length; w++) {
      const bits = held[w] as number;
      if (bits === 0) continue;
      if (bits & (claimedWords[w] as number)) portClashes(core.s.cells, i, w, claimed, add);
      claimedWords[w] = (claimedWords[w] as number) | bits;
    }
  });
  for (const cell of nonRootCells(core)) {
    for (const key of cell.pci) {
      const ctx = core.s.iommuContext.get(key);
      if (ctx !== undefined && ctx !== cell.id && core.s.cells.some((c) => c.id === ctx && c.pci.has(key))) {
        add("device-exclusive", `IOMMU context of ${key} points at cell ${ctx}, not "${cell.name}" which holds it`);
      }
    }
  }
}
