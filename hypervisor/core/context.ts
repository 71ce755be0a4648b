/** The core's context (state, architecture, mode) and the lookups every operation shares. */

import { HypervisorError, stats } from "./abi.js";
import type { ArchOps } from "./archOps.js";
import type { CellState, CpuState, HypervisorState } from "./state.js";

/**
 * `upstream`: what Jailhouse does, including what it does not check; `strict`: what its
 * documentation promises (-EBUSY for resources another non-root cell owns).
 */
export type Mode = "upstream" | "strict";

export interface Core {
  readonly s: HypervisorState;
  readonly arch: ArchOps;
  readonly mode: Mode;
}

export function rootCell(core: Core): CellState {
  return core.s.cells[0] as CellState;
}

export function cellById(core: Core, id: number): CellState | undefined {
  return core.s.cells.find((c) => c.id === id);
}

export function cellByName(core: Core, name: string): CellState | undefined {
  return core.s.cells.find((c) => c.name === name);
}

export function cpuState(core: Core, cpu: number): CpuState {
  const c = core.s.cpus.get(cpu);
  if (!c) throw new Error(`CPU ${cpu} is not configured`);
  return c;
}

export function cellOfCpu(core: Core, cpu: number): CellState {
  const owner = cellById(core, cpuState(core, cpu).cell);
  if (!owner) throw new Error(`CPU ${cpu} has no owner`);
  return owner;
}

export function isRoot(core: Core, cell: CellState): boolean {
  return cell === rootCell(core);
}

export function nonRootCells(core: Core): CellState[] {
  return core.s.cells.slice(1);
}

/** Management hypercalls come from root CPUs only. */
export function requireRootCaller(core: Core, cpu: number): void {
  if (!isRoot(core, cellOfCpu(core, cpu))) throw new HypervisorError("EPERM");
}

/** `cell_suspend`: every CPU of `cell` except the caller spins in the hypervisor (a management event for each). */
export function suspendCell(core: Core, cell: CellState, except?: number): void {
  for (const cpu of cell.cpus) {
    if (cpu === except) continue;
    cpuState(core, cpu).suspended = true;
    countStat(core, cpu, MANAGEMENT_STAT);
  }
}

/** Statistics counter 2: management events (suspend, park, reset requests). */
const MANAGEMENT_STAT = stats.MANAGEMENT;

export function resumeCell(core: Core, cell: CellState): void {
  for (const cpu of cell.cpus) cpuState(core, cpu).suspended = false;
}

/** Parking clears a pending suspension (semantics.md §1.7). */
export function parkCpu(core: Core, cpu: number): void {
  countStat(core, cpu, MANAGEMENT_STAT);
  const c = cpuState(core, cpu);
  c.mode = "parked";
  c.suspended = false;
}

export function clearStats(core: Core, cpu: number): void {
  cpuState(core, cpu).stats.fill(0);
}

export function countStat(core: Core, cpu: number, counter: number): void {
  const stats = cpuState(core, cpu).stats;
  stats[counter] = ((stats[counter] ?? 0) + 1) >>> 0;
  stats[0] = ((stats[0] ?? 0) + 1) >>> 0;
}
