/**
 * The surface of each cell on upstream Jailhouse's C (an Intel x86 build): the VM-exit handler
 * every cell reaches, the hypercalls of `hypercall()`'s switch (root-only ones refused for other
 * cells), and the MMIO handlers found at their `mmio_region_register` calls, each reached when
 * the cell's configuration makes upstream register it.
 */
import {
  type CellConfig,
  type ConfigSet,
  cellFlags,
  hypercallAccess,
  pciTypes,
  type SystemConfig,
} from "../../../hypervisor/index.js";
import { type CCallGraph, cCallGraph, x86IntelFiles } from "./cCallGraph.js";
import { cellSurface, type ResolvedEntry } from "./cellSurface.js";
import type { SurfaceReport } from "./tsSurface.js";

interface Ctx {
  readonly system: SystemConfig;
  readonly cell: CellConfig;
  readonly root: boolean;
}

const PAGE = 0x1000n;
const IVSHMEM = pciTypes.IVSHMEM;

/**
 * When upstream registers each MMIO handler for a cell (read from the registering code: the
 * unit's cell_init, ivshmem's BAR enable, the sub-page check). A handler not listed here is
 * assumed reachable by every cell and said so.
 */
export const mmioConditions: Readonly<Record<string, (c: Ctx) => boolean>> = {
  ioapic_access_handler: ({ cell }) => cell.irqchips.length > 0,
  pci_mmconfig_access_handler: ({ system }) => system.platform.pci_mmconfig_base !== 0n,
  pci_msix_access_handler: ({ cell }) => cell.pci_devices.some((d) => d.type !== IVSHMEM && d.num_msix_vectors > 0),
  ivshmem_register_mmio: ({ cell }) => cell.pci_devices.some((d) => d.type === IVSHMEM),
  ivshmem_msix_mmio: ({ cell }) => cell.pci_devices.some((d) => d.type === IVSHMEM),
  mmio_handle_subpage: ({ cell }) =>
    cell.memory_regions.some((m) => m.size % PAGE !== 0n || m.phys_start % PAGE !== 0n || m.virt_start % PAGE !== 0n),
  vtd_unit_access_handler: ({ root, system }) => root && system.platform.iommu_units.length > 0,
  testdev_handle_mmio_access: () => false,
};

/** Every cell's surface on the C tree at `tree` (the C parser must be initialised). */
export function cSurface(set: ConfigSet, tree: string): SurfaceReport & { readonly assumed: readonly string[] } {
  if (set.system.config.arch !== "x86") throw new Error("the upstream C surface is measured for x86 (VMX) only");
  const graph = cCallGraph(tree, x86IntelFiles());
  const id = (name: string) => {
    const f = graph.find(name);
    return f ? graph.idOf(f) : undefined;
  };
  const exit = id("vcpu_handle_exit");
  if (exit === undefined) throw new Error("no vcpu_handle_exit in the tree");
  const hypercalls = graph.hypercalls.flatMap((h) => {
    const handler = id(h.handler);
    return handler !== undefined && h.code in hypercallAccess
      ? [{ code: h.code as keyof typeof hypercallAccess, handler }]
      : [];
  });
  const mmio = [...new Set(graph.mmio.map((m) => m.handler))].flatMap((h) => {
    const handler = id(h);
    return handler === undefined ? [] : [{ name: h, handler }];
  });
  const assumed = mmio.filter((m) => !(m.name in mmioConditions)).map((m) => m.name);
  const all: ResolvedEntry[] = [
    { kind: "exit", name: "VM exit", handler: exit, refused: false },
    ...hypercalls.map((h) => ({ kind: "hypercall", name: h.code, handler: h.handler, refused: false })),
    ...mmio.map((m) => ({ kind: "mmio", name: m.name, handler: m.handler, refused: false })),
  ];
  const system = set.system.config;
  const cells = [system.root_cell, ...set.cells.map((c) => c.config)].map((cell, i) => {
    const ctx = { system, cell, root: i === 0 };
    const reached: ResolvedEntry[] = [
      all[0] as ResolvedEntry,
      ...hypercalls.map((h) => hypercallEntry(h, ctx)),
      ...mmio
        .filter((m) => (mmioConditions[m.name] ?? (() => true))(ctx))
        .map((m) => ({ kind: "mmio", name: m.name, handler: m.handler, refused: false })),
    ];
    return cellSurface(graph, cell.name, ctx.root, reached, all);
  });
  const { total, unresolved } = graph.indirect;
  return {
    source: "c",
    arch: "x86",
    cells,
    unresolved: { count: unresolved.length, total, share: total === 0 ? 0 : unresolved.length / total },
    assumed,
  };
}

function hypercallEntry(h: { code: keyof typeof hypercallAccess; handler: number }, c: Ctx): ResolvedEntry {
  const access = hypercallAccess[h.code];
  if (access === "root" && !c.root) return { kind: "hypercall", name: h.code, handler: -1, refused: true };
  const allowed = access === "any" || c.root || (access !== "root" && (c.cell.flags & cellFlags[access]) !== 0);
  return { kind: "hypercall", name: h.code, handler: h.handler, refused: !allowed };
}

export type { CCallGraph };
