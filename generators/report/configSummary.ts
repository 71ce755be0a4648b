/**
 * The readable summary `warden config show` and `warden verify` print: cells with CPUs and vote
 * settings, the memory map sorted by physical address, devices, IRQ pins, PIO ranges, stream IDs.
 */
import {
  type CellConfig,
  type ConfigOrigin,
  cellFlags,
  enumNameOf,
  flagNamesOf,
  hex,
  iommuTypes,
  memFlags,
  pciTypes,
  pinsOf,
  type SystemConfig,
  showBdf,
} from "../../hypervisor/index.js";

export interface SummaryInput {
  readonly system?: { readonly config: SystemConfig; readonly origin: ConfigOrigin };
  readonly cells: readonly { readonly config: CellConfig; readonly origin: ConfigOrigin }[];
}

export interface SummaryCell {
  readonly name: string;
  readonly role: "root" | "non-root";
  readonly file: string;
  readonly id: number;
  readonly cpus: string;
  readonly vote: string;
  readonly flags: readonly string[];
}

/** CPU lists as ranges: [0,1,2,5] → "0-2,5". */
export function cpuRanges(cpus: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && (cpus[j + 1] as number) === (cpus[j] as number) + 1) j++;
    out.push(i === j ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return out.join(",") || "none";
}

function vote(c: CellConfig, root: boolean): string {
  if (root) return "root: never asked";
  if (c.flags & cellFlags.PASSIVE_COMMREG) return "passive comm region: never asked";
  return c.msg_reply_timeout === 0n
    ? "votes; no reply timeout (a silent cell blocks the root)"
    : `votes; reply timeout ${c.msg_reply_timeout} polls`;
}

const size = (n: bigint): string => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = Number(n);
  let u = 0;
  while (v >= 1024 && v % 1024 === 0 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v} ${units[u]}`;
};

export function summaryData(input: SummaryInput) {
  const all = [
    ...(input.system
      ? [{ ...input.system.config.root_cell, role: "root" as const, file: input.system.origin.file }]
      : []),
    ...input.cells.map((c) => ({ ...c.config, role: "non-root" as const, file: c.origin.file })),
  ];
  const cells: SummaryCell[] = all.map((c) => ({
    name: c.name,
    role: c.role,
    file: c.file,
    id: c.id,
    cpus: cpuRanges(c.cpus),
    vote: vote(c, c.role === "root"),
    flags: flagNamesOf(cellFlags, c.flags),
  }));
  const memory = all
    .flatMap((c) =>
      c.memory_regions.map((m, index) => ({
        cell: c.name,
        index,
        phys_start: m.phys_start,
        virt_start: m.virt_start,
        size: m.size,
        flags: flagNamesOf(memFlags, m.flags),
      })),
    )
    .filter((m) => m.size > 0n && !m.flags.includes("COMM_REGION"))
    .sort((a, b) =>
      a.phys_start < b.phys_start ? -1 : a.phys_start > b.phys_start ? 1 : a.cell.localeCompare(b.cell),
    );
  const pci = all.flatMap((c) =>
    c.pci_devices.map((d) => ({
      cell: c.name,
      domain: d.domain,
      bdf: showBdf(d.bdf),
      type: enumNameOf(pciTypes, d.type),
    })),
  );
  const irqs = all.flatMap((c) =>
    c.irqchips.map((q) => ({ cell: c.name, chip: hex(q.address), pins: pinsOf(q.pin_base, q.pin_bitmap) })),
  );
  const pio = all.flatMap((c) => c.pio_regions.map((p) => ({ cell: c.name, base: p.base, length: p.length })));
  const streams = all.flatMap((c) => c.stream_ids.map((s) => ({ cell: c.name, stream_id: s })));
  const sys = input.system?.config;
  return {
    ...(sys
      ? {
          system: {
            arch: sys.arch,
            file: input.system?.origin.file,
            revision: input.system?.origin.revision,
            hypervisor_memory: {
              phys_start: hex(sys.hypervisor_memory.phys_start),
              size: hex(sys.hypervisor_memory.size),
            },
            pci_mmconfig: { base: hex(sys.platform.pci_mmconfig_base), end_bus: sys.platform.pci_mmconfig_end_bus },
            iommu_units: sys.platform.iommu_units
              .filter((u) => u.type !== 0)
              .map((u) => ({ type: enumNameOf(iommuTypes, u.type), base: hex(u.base), size: hex(u.size) })),
          },
        }
      : {}),
    cells,
    memory: memory.map((m) => ({
      ...m,
      phys_start: hex(m.phys_start),
      virt_start: hex(m.virt_start),
      size: hex(m.size),
    })),
    pci_devices: pci,
    irq_pins: irqs,
    pio_regions: pio.map((p) => ({ ...p, base: hex(p.base), length: hex(p.length) })),
    stream_ids: streams.map((s) => ({ ...s, stream_id: hex(s.stream_id) })),
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

export function formatSummary(input: SummaryInput): string {
  const d = summaryData(input);
  const out: string[] = [];
  if (d.system) {
    const s = d.system;
    out.push(`System (${s.arch}${s.revision ? `, revision ${s.revision}` : ""}) from ${s.file}`);
    out.push(`  hypervisor memory ${s.hypervisor_memory.phys_start}, size ${s.hypervisor_memory.size}`);
    out.push(`  PCI MMCONFIG ${s.pci_mmconfig.base}, end bus ${s.pci_mmconfig.end_bus}`);
    for (const u of s.iommu_units) out.push(`  IOMMU ${u.type} at ${u.base}, size ${u.size}`);
    out.push("");
  }
  out.push(
    "Cells:",
    table(
      ["name", "role", "id", "CPUs", "vote", "flags"],
      d.cells.map((c) => [c.name, c.role, String(c.id), c.cpus, c.vote, c.flags.join("|")]),
    ),
    "",
  );
  out.push(
    "Memory map (by physical address; comm regions are hypervisor pages and not listed):",
    table(
      ["phys_start", "size", "", "virt_start", "cell", "region", "flags"],
      d.memory.map((m) => [
        m.phys_start,
        m.size,
        size(BigInt(m.size)),
        m.virt_start,
        m.cell,
        String(m.index),
        m.flags.join("|"),
      ]),
    ),
    "",
  );
  if (d.pci_devices.length > 0) {
    out.push(
      "PCI devices:",
      table(
        ["cell", "domain", "bdf", "type"],
        d.pci_devices.map((p) => [p.cell, String(p.domain), p.bdf, String(p.type)]),
      ),
      "",
    );
  }
  if (d.irq_pins.length > 0)
    out.push(
      "IRQ pins:",
      table(
        ["cell", "chip", "pins"],
        d.irq_pins.map((q) => [q.cell, q.chip, cpuRanges(q.pins)]),
      ),
      "",
    );
  if (d.pio_regions.length > 0)
    out.push(
      "PIO ranges:",
      table(
        ["cell", "base", "length"],
        d.pio_regions.map((p) => [p.cell, p.base, p.length]),
      ),
      "",
    );
  if (d.stream_ids.length > 0)
    out.push(
      "Stream IDs:",
      table(
        ["cell", "stream id"],
        d.stream_ids.map((s) => [s.cell, s.stream_id]),
      ),
      "",
    );
  return `${out.join("\n")}\n`;
}
