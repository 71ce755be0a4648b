/**
 * `cell_destroy_internal`: the cell's CPUs go back to root (parked, not failed, statistics
 * cleared), the regions leave the cell (freeing the tables they emptied) and return to root only
 * where root's configuration had them, then the units and the architecture release their parts.
 */
import { cellStateCodes } from "./abi.js";
import { archCellDestroy } from "./cellStructures.js";
import { writeComm } from "./commRegion.js";
import { type Core, clearStats, cpuState, parkCpu, rootCell } from "./context.js";
import { has, isSubpage, remapToRoot, unmapRegion } from "./memory.js";
import type { CellState } from "./state.js";
import { unitsExit } from "./units.js";

export function destroyInternal(core: Core, cell: CellState): void {
  const root = rootCell(core);
  writeComm(core, cell, "cellState", cellStateCodes.SHUT_DOWN);
  for (const c of cell.cpus) {
    parkCpu(core, c);
    root.cpus.add(c);
    const state = cpuState(core, c);
    state.cell = root.id;
    state.failed = false;
    clearStats(core, c);
  }
  // Upstream unmaps and remaps region by region; under page-pool pressure an early remap then
  // fails (only warned) before later regions free their tables, and root loses that memory for
  // good. Warden frees all of the cell's mappings first, so the remap always has the frames.
  for (const m of cell.config.memory_regions) if (!isSubpage(m)) ignoreErrors(() => unmapRegion(core, cell, m));
  for (const m of cell.config.memory_regions) {
    if (!has(m, "COMM_REGION") && !has(m, "ROOTSHARED")) remapToRoot(core, m, false);
  }
  unitsExit(core, cell);
  archCellDestroy(core, cell);
  for (const [key, cpu] of core.s.irqRoutes) if (cell.cpus.has(cpu)) core.s.irqRoutes.delete(key);
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // Upstream ignores the result too.
  }
}
