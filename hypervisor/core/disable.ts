/**
 * DISABLE (control.c `hypervisor_disable`). A root CPU without a pending shutdown state decides
 * for all root CPUs: shut down if the root cell is alone, else every root CPU's state becomes
 * -EBUSY; a CPU that finds -EBUSY returns it and clears its own state. On success each root CPU
 * waits at a barrier until every CPU online at enable has issued DISABLE; then the hypervisor is gone.
 */
import { HypervisorError } from "./abi.js";
import { type Core, requireRootCaller, rootCell } from "./context.js";
import type { Operation } from "./exchange.js";

const STARTED = 1;

export function* disable(core: Core, cpu: number): Operation {
  requireRootCaller(core, cpu);
  const s = core.s;
  if ((s.shutdownState.get(cpu) ?? 0) === 0) {
    const decision = s.cells.length === 1 ? STARTED : -16;
    for (const c of rootCell(core).cpus) s.shutdownState.set(c, decision);
  }
  if (s.shutdownState.get(cpu) !== STARTED) {
    s.shutdownState.delete(cpu);
    throw new HypervisorError("EBUSY");
  }
  s.disableArrived.add(cpu);
  const all = [...s.cpus.keys()];
  while (!all.every((c) => s.disableArrived.has(c))) {
    yield { kind: "barrier", waitingFor: all.filter((c) => !s.disableArrived.has(c)) };
  }
  s.disabled = true;
  return 0;
}
