/** Kicking CPUs out of nested guests whose EPT stopped being valid (an IPI and a forced VM exit upstream would send). */
import type { CellState, Core } from "../../core/index.js";
import { vmxOf } from "./vmxState.js";

export function kickRunners(core: Core, cell: CellState, root: bigint, why: string): void {
  for (const [cpu, c] of vmxOf(core).cpus) {
    if (c.cell !== cell.id || !cell.cpus.has(cpu) || c.running !== root) continue;
    c.running = undefined;
    c.lastExit = why;
  }
}
