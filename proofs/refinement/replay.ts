/**
 * Replays an ITF trace of a model (CellLifecycle by default; ResourceOwnership, ManagementVote) — from `warden check`, from TLC through
 * `warden tlc`, or from an earlier conformance failure — against an implementation, and reports
 * the first step where the implementation departs from the model.
 */

import { fromItfValue } from "../../generators/index.js";
import type { ConfigSet, Mode } from "../../hypervisor/index.js";
import { type Value, valuesEqual } from "../../models/index.js";
import { inputError } from "../diagnostics/InputError.js";
import { compileModel } from "../explicit/compileModel.js";
import { lifecycleBinding, type ModelBinding } from "./bindings.js";
import { describeCommand, type ImplementationFactory } from "./implementation.js";
import { enabledSteps, failingInvariants } from "./modelSteps.js";
import { checkStep, type Departure } from "./stepCheck.js";

export interface ReplayReport {
  readonly mode: Mode;
  /** Steps of the trace replayed (the first state is Init). */
  readonly steps: number;
  readonly departure?: Departure;
}

export async function replay(
  set: ConfigSet,
  mode: Mode,
  implementation: ImplementationFactory,
  trace: unknown,
  file: string,
  binding: ModelBinding = lifecycleBinding,
): Promise<ReplayReport> {
  set = binding.configure?.(set) ?? set;
  const cm = compileModel(binding.model(set, mode));
  const states = itfStates(trace, cm.varNames, file);
  const impl = await implementation(set, mode);
  for (const command of binding.prelude?.(set) ?? []) {
    const result = await impl.perform(command);
    if (result !== "ok")
      return {
        mode,
        steps: 0,
        departure: {
          step: 0,
          command: `${describeCommand(command)} (before the trace)`,
          expected: { result: "ok", state: null },
          actual: { result, state: null, invariants: [] },
        },
      };
  }
  const equal = (a: readonly Value[], b: readonly Value[]) => a.every((v, k) => valuesEqual(v, b[k] as Value));
  let i = 1;
  while (i < states.length) {
    const from = states[i - 1] as Value[];
    // A step of the implementation may be several model steps (see ModelBinding.steps): match its whole path,
    // or the part of it before the trace ends.
    const rest = states.slice(i);
    const step = (binding.steps?.(cm, from) ?? enabledSteps(cm, from)).find((s) => {
      const path = (s.path ?? [{ values: s.next }]).map((p) => p.values);
      return !equal(s.next, from) && path.slice(0, rest.length).every((p, k) => equal(p, rest[k] as Value[]));
    });
    const command = step && binding.command(step);
    if (!step || !command) {
      const fine = enabledSteps(cm, from).find((s) => equal(s.next, states[i] as Value[]));
      const why = fine
        ? `state ${i} follows from state ${i - 1} by ${fine.action}, which the implementation does not take as a step of its own${binding.coarser ? ` (${binding.coarser})` : ""}`
        : `state ${i} does not follow from state ${i - 1} by a step of the model for this configuration`;
      throw inputError("WRD111", why, { file, field: `states[${i}]` });
    }
    const tolerated = binding.tolerated(mode, failingInvariants(cm, step.next));
    const outcome = await checkStep(impl, binding, cm.varNames, step.next, command, i, tolerated);
    if (outcome.kind === "departs") return { mode, steps: i, departure: outcome.departure };
    i += step.path?.length ?? 1;
  }
  return { mode, steps: states.length - 1 };
}

function itfStates(trace: unknown, vars: readonly string[], file: string): Value[][] {
  const states = (trace as { states?: unknown })?.states;
  if (!Array.isArray(states) || states.length === 0)
    throw inputError("WRD111", "not an ITF trace: no states", { file, field: "states" });
  return states.map((s, i) => {
    const record = s as Record<string, unknown>;
    return vars.map((v) => {
      if (!(v in record))
        throw inputError("WRD111", `state ${i} lacks the model variable "${v}"`, { file, field: `states[${i}].${v}` });
      return fromItfValue(record[v]);
    });
  });
}
