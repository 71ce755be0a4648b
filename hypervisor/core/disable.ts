/**
 * DISABLE (control.c `hypervisor_disable`): the first root CPU to arrive decides for all — shut
 * down if the root cell is alone, else every root CPU gets -EBUSY. On success each root CPU waits
 * at a barrier until every CPU online at enable has issued DISABLE; then the hypervisor is gone.
 */
import { HypervisorError } from "./abi.js";
import { type Core, requireRootCaller, rootCell } from "./context.js";
import type { Operation } from "./exchange.js";

const STARTED = 1;

export function* disable(core: Core, cpu: number): Operation {
  requireRootCaller(core, cpu);
  const s = core.s;
  if (s.disableDecision === null) {
    s.disableDecision = s.cells.length === 1 ? STARTED : -16;
    s.disableArrived = new Set();
  }
  if (s.disableDecision !== STARTED) {
    s.disableArrived.add(cpu);
    const result = s.disableDecision;
    // Each root CPU clears its own error state; once all have, the next DISABLE decides afresh.
    if ([...rootCell(core).cpus].every((c) => s.disableArrived.has(c))) s.disableDecision = null;
    throw new HypervisorError(result === -16 ? "EBUSY" : "EINVAL");
  }
  s.disableArrived.add(cpu);
  const all = [...s.cpus.keys()];
  while (!all.every((c) => s.disableArrived.has(c))) {
    yield { kind: "barrier", waitingFor: all.filter((c) => !s.disableArrived.has(c)) };
  }
  s.disabled = true;
  return 0;
}
