/**
 * The isolation rules Warden proves on a configuration set, each a named obligation over owned
 * intervals (memory addresses, CPU numbers, PCI addresses, pins, ports). Intended sharing is
 * explicit: ROOTSHARED regions that link ivshmem peers (one owner per link), and the user's sharing
 * policy, which is not applied here: a rule names the resource a declaration relaxes, and both the
 * solver and the sweep line are given the declarations (`proveIsolation.ts`).
 */
import {
  type CellConfig,
  type ConfigOrigin,
  type ConfigSet,
  cellFlags,
  memFlags,
  pciTypes,
  pinsOf,
  type SystemConfig,
} from "../../hypervisor/index.js";
import type { Interval, Ref } from "./intervals.js";
import type { SharedResource } from "./sharingPolicy.js";

export interface Rule {
  readonly id: string;
  readonly title: string;
  /** What the rule means and why it matters (SARIF fullDescription). */
  readonly description: string;
  /** Whether upstream's jailhouse-config-check has a counterpart, and which. */
  readonly upstream?: string;
  /** The intervals whose cross-owner intersections violate the rule (unless declared shared). */
  readonly intervals: (set: ConfigSet) => Interval[];
  /** The resource whose sharing declarations relax this rule; none: nothing may be declared. */
  readonly sharing?: SharedResource;
}

type MemoryRegion = CellConfig["memory_regions"][number];

interface Cell {
  readonly config: CellConfig;
  readonly origin: ConfigOrigin;
  readonly root: boolean;
}

const nonRootCells = (set: ConfigSet): Cell[] =>
  set.cells.map((c) => ({ config: c.config, origin: c.origin, root: false }));

const cellsOf = (set: ConfigSet): Cell[] => [
  { config: set.system.config.root_cell, origin: set.system.origin, root: true },
  ...nonRootCells(set),
];

/**
 * `xs.flatMap(f)` writing into one array: a flatMap over 100,000 cells, one small array each, cost
 * 150 ms per rule even when every array was empty.
 */
function gather<T, U>(xs: readonly T[], f: (x: T, index: number, out: U[]) => void): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) f(xs[i] as T, i, out);
  return out;
}

function ref(
  cell: Cell,
  array: "memory_regions" | "pci_devices" | "irqchips" | "pio_regions",
  index: number,
  what: string,
): Ref {
  const byteOffset = cell.origin.offsets?.[array][index];
  const out: { -readonly [K in keyof Ref]: Ref[K] } = { cell: cell.config.name, what, file: cell.origin.file };
  if (byteOffset !== undefined) out.byteOffset = byteOffset;
  if (cell.origin.field !== undefined) out.field = `${cell.origin.field}.${array}[${index}]`;
  return out;
}

const isPhysical = (m: MemoryRegion): boolean => m.size > 0n && (m.flags & memFlags.COMM_REGION) === 0n;

const physicalRegions = (cell: Cell): { m: MemoryRegion; index: number }[] =>
  gather(cell.config.memory_regions, (m, index, out: { m: MemoryRegion; index: number }[]) => {
    if (isPhysical(m)) out.push({ m, index });
  });

/** A region as an interval of physical addresses owned by `owner`. */
const physical = (cell: Cell, m: MemoryRegion, index: number, owner: string): Interval => ({
  start: m.phys_start,
  end: m.phys_start + m.size,
  owner,
  ref: ref(cell, "memory_regions", index, `memory region ${index}`),
});

/**
 * Regions of linked ivshmem peers; regions from shmem_regions_start on. Keyed by the BDF alone, as
 * upstream's ivshmem_init (hypervisor/ivshmem.c) finds a link by `link->bdf == dev_info->bdf`: two
 * ivshmem devices at one BDF in different PCI domains are one link.
 */
function ivshmemRegions(cell: Cell): Map<number, Set<number>> {
  const byLink = new Map<number, Set<number>>();
  for (const d of cell.config.pci_devices) {
    if (d.type !== pciTypes.IVSHMEM) continue;
    const count = 2 + d.shmem_peers;
    const link = d.bdf;
    const set = byLink.get(link) ?? new Set<number>();
    for (let i = d.shmem_regions_start; i < d.shmem_regions_start + count; i++) set.add(i);
    byLink.set(link, set);
  }
  return byLink;
}

/**
 * A non-root region for the disjointness rule, owned by its cell, or jointly by its link when it
 * is an ivshmem region (ROOTSHARED) of linked peers.
 */
function ownedRegion(cell: Cell, index: number, links: Map<number, Set<number>>): Interval {
  const m = cell.config.memory_regions[index] as MemoryRegion;
  if ((m.flags & memFlags.ROOTSHARED) !== 0n) {
    for (const [link, regions] of links) {
      const end = m.phys_start + m.size;
      if (regions.has(index)) return physical(cell, m, index, `ivshmem ${link.toString(16)} ${m.phys_start}-${end}`);
    }
  }
  return physical(cell, m, index, cell.config.name);
}

const nonRootMemory = (set: ConfigSet): Interval[] =>
  gather(nonRootCells(set), (cell, _, out: Interval[]) => {
    const links = ivshmemRegions(cell);
    cell.config.memory_regions.forEach((m, index) => {
      if (isPhysical(m)) out.push(ownedRegion(cell, index, links));
    });
  });

/**
 * Where a system-header field lies: its byte offset in a binary system file (revisions 13/14, or 12,
 * whose platform block is laid out differently), its field path in YAML/JSON. `rev12` gives the
 * revision-12 offset where it differs.
 */
interface Place {
  readonly offset: number;
  readonly rev12?: number;
  readonly field: string;
}

function placeRef(origin: ConfigOrigin, what: string, place?: Place): Ref {
  if (!place) return { cell: "platform", what, file: origin.file };
  const offset = origin.revision === 12 && place.rev12 !== undefined ? place.rev12 : place.offset;
  return {
    cell: "platform",
    what,
    file: origin.file,
    ...(origin.format === "cell" ? { byteOffset: offset } : { field: place.field }),
  };
}

/** A fixed window as an interval owned by "platform", citing the header field that places it. */
const window = (start: bigint, size: bigint, what: string, origin: ConfigOrigin, place?: Place): Interval => ({
  start,
  end: start + size,
  owner: "platform",
  ref: placeRef(origin, what, place),
});

/** Every region of every cell against fixed windows (the windows never overlap each other here). */
const againstWindows = (set: ConfigSet, windows: readonly Interval[]): Interval[] => {
  const out = [...windows];
  for (const cell of cellsOf(set))
    cell.config.memory_regions.forEach((m, index) => {
      if (isPhysical(m)) out.push(physical(cell, m, index, "cells"));
    });
  return out;
};

function interruptWindows(system: SystemConfig, origin: ConfigOrigin): Interval[] {
  const a = system.platform.arch;
  if (a.kind === "x86") {
    return [
      // The xAPIC page is the architecture's, not the configuration's: no field to cite.
      window(0xfee00000n, 0x1000n, "xAPIC page", origin),
      ...system.root_cell.irqchips.map((q, i) => {
        const at = origin.offsets?.irqchips[i];
        return window(q.address, 0x1000n, `IOAPIC at 0x${q.address.toString(16)}`, origin, {
          offset: at ?? 0,
          field: `root_cell.irqchips[${i}]`,
        });
      }),
    ];
  }
  const gic = (name: string, offset: number, rev12: number) => ({
    offset,
    rev12,
    field: `platform.arm.${name}`,
  });
  if (a.gic_version === 3) {
    return [
      window(a.gicd_base, 0x10000n, "GICD", origin, gic("gicd_base", 316, 90)),
      window(a.gicr_base, 0x20000n, "GICR (first frame)", origin, gic("gicr_base", 348, 122)),
    ];
  }
  return [
    window(a.gicd_base, 0x1000n, "GICD", origin, gic("gicd_base", 316, 90)),
    window(a.gicc_base, 0x2000n, "GICC", origin, gic("gicc_base", 324, 98)),
    window(a.gich_base, 0x2000n, "GICH", origin, gic("gich_base", 332, 106)),
    window(a.gicv_base, 0x2000n, "GICV", origin, gic("gicv_base", 340, 114)),
  ];
}

/** Points as one-wide intervals, owned by their non-root cell. */
const points = (set: ConfigSet, of: (cell: Cell) => { value: bigint; ref: Ref }[]): Interval[] =>
  gather(nonRootCells(set), (cell, _, out: Interval[]) => {
    for (const p of of(cell)) out.push({ start: p.value, end: p.value + 1n, owner: cell.config.name, ref: p.ref });
  });

/**
 * Regions of the same cell against each other, physically or virtually: each region is its own
 * owner, and the cell's index is placed above bit 64 so different cells never meet.
 */
const withinCells = (set: ConfigSet, virtual: boolean): Interval[] =>
  gather(cellsOf(set), (cell, k, out: Interval[]) => {
    const base = BigInt(k) << 64n;
    cell.config.memory_regions.forEach((m, index) => {
      if (m.size <= 0n || (!virtual && (m.flags & memFlags.COMM_REGION) !== 0n)) return;
      const start = base + (virtual ? m.virt_start : m.phys_start);
      out.push({
        start,
        end: start + m.size,
        owner: `${cell.config.name} region ${index}`,
        ref: ref(cell, "memory_regions", index, `memory region ${index}`),
      });
    });
  });

export const rules: readonly Rule[] = [
  {
    id: "WRD-CELL-PHYS-OVERLAP",
    title: "Regions of one cell do not overlap physically",
    description:
      "Two regions of a cell covering the same physical memory give it two mappings with possibly different rights.",
    upstream: "Overlapping memory regions inside cell (physically)",
    intervals: (set) => withinCells(set, false),
  },
  {
    id: "WRD-CELL-VIRT-OVERLAP",
    title: "Regions of one cell do not overlap virtually",
    description:
      "Two regions mapped at the same guest address conflict; which one wins depends on the order of mapping.",
    upstream: "Overlapping memory regions inside cell (virtually)",
    intervals: (set) => withinCells(set, true),
  },
  {
    id: "WRD-CPU-DISJOINT",
    title: "Non-root cells have pairwise disjoint CPU sets",
    description:
      "A CPU given to two non-root cells would run one of them only; the hypervisor refuses this at create, the configuration should never ask for it.",
    upstream: "Overlapping cores between non-root cells (next branch)",
    intervals: (set) =>
      points(set, (cell) => cell.config.cpus.map((cpu) => ({ value: BigInt(cpu), ref: cpuRef(cell, cpu) }))),
  },
  {
    id: "WRD-CPU-IN-ROOT",
    title: "Every non-root CPU belongs to the root cell's CPU set",
    description:
      "CELL_CREATE fails with -EBUSY for a CPU the root does not own; CPUs outside the system set are not valid CPU ids.",
    intervals: (set) =>
      outside(
        set,
        (c) => c.config.cpus.map((cpu) => [BigInt(cpu), BigInt(cpu) + 1n, cpuRef(c, cpu)] as const),
        set.system.config.root_cell.cpus.map((x) => [BigInt(x), BigInt(x) + 1n] as const),
      ),
  },
  {
    id: "WRD-CPU-ROOT-KEEPS",
    title: "The root cell keeps at least one CPU",
    description:
      "Management hypercalls are issued from a root CPU, which may not be given away; with every CPU assigned, the root starves.",
    upstream: "Root cell CPU starvation (next branch)",
    intervals: (set) => {
      const taken = new Set(set.cells.flatMap((c) => c.config.cpus));
      const root = set.system.config.root_cell.cpus;
      if (set.cells.length === 0 || root.some((c) => !taken.has(c))) return [];
      // Every root CPU is taken: report the root's CPU set against the first non-root cell using it.
      const cell: Cell = { config: set.system.config.root_cell, origin: set.system.origin, root: true };
      return [
        {
          start: 0n,
          end: 1n,
          owner: "root",
          ref: { cell: cell.config.name, what: "CPU set (no CPU left to the root)", file: cell.origin.file },
        },
        {
          start: 0n,
          end: 1n,
          owner: "all",
          ref: { cell: "non-root cells", what: `CPUs ${[...taken].join(",")}`, file: set.cells[0]?.origin.file ?? "" },
        },
      ];
    },
  },
  {
    id: "WRD-MEM-DISJOINT",
    title: "Non-root cells' memory is pairwise disjoint except intended sharing",
    description:
      "Physical memory of two non-root cells must not overlap unless it is an ivshmem region of linked peers or declared in the sharing policy; Jailhouse does not check this.",
    intervals: nonRootMemory,
    sharing: "memory",
  },
  {
    id: "WRD-MEM-IN-ROOT",
    title: "Non-root memory lies inside the root cell's memory",
    description:
      "Memory is taken from the root at create and given back only where the root's configuration has it; memory outside is never returned and was never the root's to give.",
    intervals: (set) =>
      outside(
        set,
        (c) =>
          physicalRegions(c).map(
            ({ m, index }) =>
              [m.phys_start, m.phys_start + m.size, ref(c, "memory_regions", index, `memory region ${index}`)] as const,
          ),
        set.system.config.root_cell.memory_regions
          .filter(isPhysical)
          .map((m) => [m.phys_start, m.phys_start + m.size] as const),
      ),
  },
  {
    id: "WRD-MEM-HYPERVISOR",
    title: "No region overlaps the hypervisor's memory",
    description: "A cell mapping hypervisor memory can corrupt the hypervisor.",
    upstream: "Overlapping memory regions with hypervisor",
    intervals: (set) =>
      againstWindows(set, [
        window(
          set.system.config.hypervisor_memory.phys_start,
          set.system.config.hypervisor_memory.size,
          "hypervisor memory",
          set.system.origin,
          { offset: 12, field: "hypervisor_memory" },
        ),
      ]),
  },
  {
    id: "WRD-MEM-MMCONFIG",
    title: "No region overlaps the PCI MMCONFIG window",
    description: "The hypervisor intercepts PCI configuration space; a cell mapping it bypasses the interception.",
    upstream: "Missing PCI MMCONFIG interceptions",
    intervals: (set) => {
      const p = set.system.config.platform;
      if (p.pci_mmconfig_base === 0n) return [];
      return againstWindows(set, [
        window(
          p.pci_mmconfig_base,
          BigInt(p.pci_mmconfig_end_bus + 1) << 20n,
          "PCI MMCONFIG window",
          set.system.origin,
          { offset: 76, field: "platform.pci_mmconfig_base" },
        ),
      ]);
    },
  },
  {
    id: "WRD-MEM-IOMMU",
    title: "No region overlaps an IOMMU unit's registers",
    description: "IOMMU registers belong to the hypervisor; a cell mapping them controls DMA isolation.",
    upstream: "Missing IOMMU interceptions",
    intervals: (set) =>
      againstWindows(
        set,
        set.system.config.platform.iommu_units
          .map((u, i) => ({ u, i }))
          .filter(({ u }) => u.type !== 0)
          .map(({ u, i }) =>
            window(u.base, BigInt(u.size), `IOMMU unit ${i}`, set.system.origin, {
              offset: 88 + i * 28,
              rev12: (set.system.config.platform.arch.kind === "x86" ? 106 : 130) + i * 28,
              field: `platform.iommu_units[${i}]`,
            }),
          ),
      ),
  },
  {
    id: "WRD-MEM-IRQCHIP",
    title: "No region overlaps interrupt-controller registers",
    description:
      "The hypervisor emulates or owns the interrupt controllers (xAPIC and IOAPIC pages on x86, the GIC on ARM).",
    upstream: "Missing resource interceptions for architecture",
    intervals: (set) => againstWindows(set, interruptWindows(set.system.config, set.system.origin)),
  },
  {
    id: "WRD-PCI-EXCLUSIVE",
    title: "Physical PCI devices are exclusive among non-root cells",
    description:
      "CELL_CREATE silently re-assigns a device another non-root cell owns; its IOMMU context then points at the new cell.",
    // Keyed by the BDF alone: upstream's pci_cell_init (hypervisor/pci.c) takes a device from the root
    // with pci_get_assigned_device(&root_cell, bdf), which compares `bdf` only, whatever the domain.
    intervals: (set) =>
      points(set, (cell) =>
        cell.config.pci_devices.flatMap((d, i) =>
          d.type === pciTypes.IVSHMEM
            ? []
            : [
                {
                  value: BigInt(d.bdf),
                  ref: ref(cell, "pci_devices", i, `PCI device ${i}`),
                },
              ],
        ),
      ),
    sharing: "pci",
  },
  {
    id: "WRD-IVSHMEM-SLOT",
    title: "An ivshmem link's endpoint slots are used once",
    description: "Two endpoints with the same BDF and device id make CELL_CREATE fail with -EBUSY.",
    // Keyed by (BDF, shmem_dev_id): upstream's ivshmem_init (hypervisor/ivshmem.c) finds the link by
    // BDF alone and returns -EBUSY when `link->eps[shmem_dev_id]` is taken; the PCI domain plays no part.
    intervals: (set) =>
      points(set, (cell) =>
        cell.config.pci_devices.flatMap((d, i) =>
          d.type === pciTypes.IVSHMEM
            ? [
                {
                  value: (BigInt(d.bdf) << 8n) | BigInt(d.shmem_dev_id),
                  ref: ref(cell, "pci_devices", i, `ivshmem device ${i}`),
                },
              ]
            : [],
        ),
      ),
  },
  {
    id: "WRD-IRQ-EXCLUSIVE",
    title: "Interrupt pins are exclusive among non-root cells",
    description:
      "Pins are taken from the root without checking other cells; two cells would both receive the interrupt.",
    intervals: (set) =>
      points(set, (cell) =>
        cell.config.irqchips.flatMap((q, i) =>
          pinsOf(q.pin_base, q.pin_bitmap).map((pin) => ({
            value: (q.address << 16n) | BigInt(pin),
            ref: ref(cell, "irqchips", i, `IRQ chip ${i} pin ${pin}`),
          })),
        ),
      ),
    sharing: "irq",
  },
  {
    id: "WRD-PIO-EXCLUSIVE",
    title: "Port I/O ranges are exclusive among non-root cells",
    description: "Ports are removed from the root's bitmap even when another non-root cell already has them.",
    intervals: (set) =>
      gather(nonRootCells(set), (cell, _, out: Interval[]) =>
        cell.config.pio_regions.forEach((p, i) => {
          out.push({
            start: BigInt(p.base),
            end: BigInt(p.base) + BigInt(p.length),
            owner: cell.config.name,
            ref: ref(cell, "pio_regions", i, `PIO range ${i}`),
          });
        }),
      ),
    sharing: "pio",
  },
];

function cpuRef(cell: Cell, cpu: number): Ref {
  return {
    cell: cell.config.name,
    what: `CPU ${cpu}`,
    file: cell.origin.file,
    // The byte of the CPU in the bitmap that follows the 132-byte cell descriptor (bit cpu % 8).
    ...(cell.origin.offsets ? { byteOffset: 132 + Math.floor(cpu / 8) } : {}),
    ...(cell.origin.field !== undefined ? { field: `${cell.origin.field}.cpus` } : {}),
  };
}

/**
 * Containment as disjointness: each non-root interval against the complement of the allowed
 * ranges (the gaps of the root's union), so a part outside the root is an intersection.
 */
function outside(
  set: ConfigSet,
  of: (cell: Cell) => readonly (readonly [bigint, bigint, Ref])[],
  allowed: readonly (readonly [bigint, bigint])[],
): Interval[] {
  const sorted = [...allowed].filter(([s, e]) => e > s).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const gaps: Interval[] = [];
  let at = 0n;
  const file = set.system.origin.file;
  for (const [s, e] of sorted) {
    if (s > at)
      gaps.push({
        start: at,
        end: s,
        owner: "outside root",
        ref: { cell: set.system.config.root_cell.name, what: "outside the root cell's ranges", file },
      });
    if (e > at) at = e;
  }
  if (at < 1n << 64n)
    gaps.push({
      start: at,
      end: 1n << 64n,
      owner: "outside root",
      ref: { cell: set.system.config.root_cell.name, what: "outside the root cell's ranges", file },
    });
  const mine = gather(nonRootCells(set), (cell, _, out: Interval[]) => {
    for (const [start, end, r] of of(cell)) out.push({ start, end, owner: "non-root", ref: r });
  });
  return [...gaps, ...mine];
}

export const isPassive = (c: CellConfig): boolean => (c.flags & cellFlags.PASSIVE_COMMREG) !== 0;
