/**
 * `cell_destroy_internal`: the cell's CPUs go back to root (parked, not failed, statistics
 * cleared), its memory returns to root only where root's configuration had it, the units and the
 * architecture release their parts. Removing the cell's own mappings is implied by freeing its
 * page-table tree.
 */
import { cellStateCodes } from "./abi.js";
import { archCellDestroy } from "./cellStructures.js";
import { writeComm } from "./commRegion.js";
import { type Core, clearStats, cpuState, parkCpu, rootCell } from "./context.js";
import { has, remapToRoot } from "./memory.js";
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
  for (const m of cell.config.memory_regions) {
    if (!has(m, "COMM_REGION") && !has(m, "ROOTSHARED")) remapToRoot(core, m, false);
  }
  unitsExit(core, cell);
  archCellDestroy(core, cell);
  for (const [key, cpu] of core.s.irqRoutes) if (cell.cpus.has(cpu)) core.s.irqRoutes.delete(key);
}
