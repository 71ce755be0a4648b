/**
 * CELL_START, CELL_SET_LOADABLE and CELL_DESTROY (control.c), sharing upstream's management
 * prologue: root caller, suspend the other root CPUs, look up the id, refuse the root cell, the
 * lock check (destroy only), then ask the target and suspend its CPUs.
 */
import { cellStateCodes, HypervisorError } from "./abi.js";
import { freeCell } from "./cellStructures.js";
import { initCommRegion, writeComm } from "./commRegion.js";
import {
  type Core,
  cellById,
  cpuState,
  isRoot,
  parkCpu,
  requireRootCaller,
  resumeCell,
  rootCell,
  suspendCell,
} from "./context.js";
import { destroyInternal } from "./destroyInternal.js";
import { broadcastReconfigCompleted, exchange, type Operation, reconfigOk, type Wait } from "./exchange.js";
import { has, remapToRoot, unmapFromRoot } from "./memory.js";
import type { CellState } from "./state.js";

type Task = "start" | "set_loadable" | "destroy";

/** `cell_management_prologue`: returns the target with root (but the caller) and the target suspended. */
function* prologue(core: Core, cpu: number, id: bigint, task: Task): Generator<Wait, CellState, boolean> {
  requireRootCaller(core, cpu);
  const root = rootCell(core);
  suspendCell(core, root, cpu);
  const cell = id <= 0xffffffffn ? cellById(core, Number(id)) : undefined;
  if (!cell) throw new HypervisorError("ENOENT");
  if (isRoot(core, cell)) throw new HypervisorError("EINVAL");
  if (task === "destroy" && !reconfigOk(core, cell)) throw new HypervisorError("EPERM");
  if (!(yield* exchange(core, cell, "SHUTDOWN_REQUEST"))) throw new HypervisorError("EPERM");
  suspendCell(core, cell);
  return cell;
}

/** Runs a management body between the prologue and resuming the root cell, whatever happens. */
function* managed(
  core: Core,
  cpu: number,
  id: bigint,
  task: Task,
  body: (cell: CellState) => number | Operation,
): Operation {
  const wasRoot = core.s.cpus.get(cpu)?.cell === rootCell(core).id;
  try {
    const cell = yield* prologue(core, cpu, id, task);
    const result = body(cell);
    return typeof result === "number" ? result : yield* result;
  } finally {
    if (wasRoot) resumeCell(core, rootCell(core));
  }
}

export function cellStart(core: Core, cpu: number, id: bigint): Operation {
  return managed(core, cpu, id, "start", (cell) => {
    if (cell.loadable) {
      for (const m of cell.config.memory_regions) if (has(m, "LOADABLE")) unmapFromRoot(core, m);
      cell.loadable = false;
    }
    initCommRegion(core, cell);
    core.arch.cellReset(core, cell);
    for (const c of cell.cpus) cpuState(core, c).failed = false;
    core.arch.resetCpus(core, cell);
    return 0;
  });
}

export function cellSetLoadable(core: Core, cpu: number, id: bigint): Operation {
  return managed(core, cpu, id, "set_loadable", (cell) => {
    for (const c of cell.cpus) {
      cpuState(core, c).failed = false;
      parkCpu(core, c);
    }
    if (cell.loadable) return 0;
    writeComm(core, cell, "cellState", cellStateCodes.SHUT_DOWN);
    cell.loadable = true;
    for (const m of cell.config.memory_regions) if (has(m, "LOADABLE")) remapToRoot(core, m, true);
    return 0;
  });
}

export function cellDestroy(core: Core, cpu: number, id: bigint): Operation {
  return managed(core, cpu, id, "destroy", function* (cell) {
    destroyInternal(core, cell);
    core.s.cells.splice(core.s.cells.indexOf(cell), 1);
    freeCell(core, cell);
    yield* broadcastReconfigCompleted(core);
    return 0;
  });
}
