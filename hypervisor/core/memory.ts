/**
 * Moving memory regions between cells (control.c `unmap_from_root_cell`, `remap_to_root_cell`,
 * arch `*_map_memory_region`, mmio.c sub-page registration), on the real page tables.
 */
import { memFlags } from "../config/flags.js";
import type { MemoryRegion } from "../config/types.js";
import { type Core, rootCell } from "./context.js";
import { mapRange, pte, unmapRange } from "./pageTable.js";
import type { CellState } from "./state.js";

const PAGE = 4096n;

/** A region whose start or size is not page-aligned goes to the MMIO dispatch table, not the page tables. */
export function isSubpage(m: MemoryRegion): boolean {
  return m.virt_start % PAGE !== 0n || m.size % PAGE !== 0n;
}

export function has(m: MemoryRegion, flag: keyof typeof memFlags): boolean {
  return (m.flags & memFlags[flag]) !== 0n;
}

/** Page-table entry flags for a region: access rights plus the declared-sharing bit. */
function pteFlags(m: MemoryRegion): number {
  return (
    (has(m, "READ") ? pte.READ : 0) |
    (has(m, "WRITE") ? pte.WRITE : 0) |
    (has(m, "EXECUTE") ? pte.EXECUTE : 0) |
    (has(m, "ROOTSHARED") ? pte.SHARED : 0)
  );
}

/** First frame and frame count covering [start, start + size), rounded outwards as `paging_create` does. */
function frames(start: bigint, size: bigint): { first: number; count: number } {
  const first = start / PAGE;
  const end = (start + size + PAGE - 1n) / PAGE;
  return { first: Number(first), count: Number(end - first) };
}

/** Maps a region into a cell: sub-page regions into its MMIO table, the comm region to its comm page. */
export function mapRegion(core: Core, cell: CellState, m: MemoryRegion): void {
  if (isSubpage(m)) {
    cell.mmio.push({ start: m.virt_start, size: m.size, phys: m.phys_start, flags: m.flags });
    return;
  }
  const virt = frames(m.virt_start, m.size);
  // The comm region ignores phys_start; its size is not checked, so a larger one exposes the following pool frames.
  const host = has(m, "COMM_REGION") ? (cell.dataFrames[0] ?? 0) : Number(m.phys_start / PAGE);
  if (virt.count === 0) return;
  mapRange(
    core.s,
    core.arch.paging,
    cell.pageTable,
    virt.first,
    host,
    virt.count,
    pteFlags(m),
    !has(m, "NO_HUGEPAGES"),
  );
}

/** Removes a region from a cell's view (page tables or MMIO table), using its virtual address. */
export function unmapRegion(core: Core, cell: CellState, m: MemoryRegion): void {
  if (isSubpage(m)) {
    const i = cell.mmio.findIndex((r) => r.start === m.virt_start && r.size === m.size);
    if (i >= 0) cell.mmio.splice(i, 1);
    return;
  }
  const virt = frames(m.virt_start, m.size);
  if (virt.count > 0) unmapRange(core.s, core.arch.paging, cell.pageTable, virt.first, virt.count);
}

/** The root cell is identity-mapped, so a region's physical address is its root-side address. */
export function unmapFromRoot(core: Core, m: MemoryRegion): void {
  unmapRegion(core, rootCell(core), { ...m, virt_start: m.phys_start });
}

/**
 * Maps back into root the parts of `m` that intersect root's configured regions, at root's
 * virtual offset and with root's flags. With `abortOnError` the first failure is thrown; else it
 * is ignored (upstream only warns), and the rest is still remapped.
 */
export function remapToRoot(core: Core, m: MemoryRegion, abortOnError: boolean): void {
  const root = rootCell(core);
  for (const r of root.config.memory_regions) {
    let phys: bigint;
    let size: bigint;
    if (m.phys_start >= r.phys_start && m.phys_start < r.phys_start + r.size) {
      phys = m.phys_start;
      size = r.size - (phys - r.phys_start);
      if (size > m.size) size = m.size;
    } else if (r.phys_start >= m.phys_start && r.phys_start < m.phys_start + m.size) {
      phys = r.phys_start;
      size = m.size - (phys - m.phys_start);
      if (size > r.size) size = r.size;
    } else continue;
    const overlap = { phys_start: phys, virt_start: r.virt_start + phys - r.phys_start, size, flags: r.flags };
    try {
      mapRegion(core, root, overlap);
    } catch (error) {
      if (abortOnError) throw error;
    }
  }
}
