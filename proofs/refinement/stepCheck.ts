/**
 * The one generic step check: from related states, the implementation performs the command the
 * model's step stands for; its result must be the model's prediction, the abstract states must
 * be related again, and the implementation's invariants must hold.
 */
import type { Value } from "../../models/index.js";
import { type AbstractState, type Command, describeCommand, type Implementation } from "./implementation.js";
import { modelView } from "./lifecycleModel.js";

/** Errors the model abstracts away (resources, memory): accepted when the abstract state did not change. */
const UNMODELLED = new Set(["EBUSY", "ENOMEM", "EINVAL", "E2BIG", "ERANGE"]);

export interface Departure {
  readonly step: number;
  readonly command: string;
  readonly expected: { readonly result: string; readonly state: AbstractState };
  readonly actual: { readonly result: string; readonly state: AbstractState; readonly invariants: readonly string[] };
}

export type StepOutcome =
  | { readonly kind: "conforms" }
  | { readonly kind: "unmodelled" }
  | { readonly kind: "departs"; readonly departure: Departure };

export async function checkStep(
  impl: Implementation,
  varNames: readonly string[],
  next: readonly Value[],
  command: Command,
  index: number,
): Promise<StepOutcome> {
  const before = await impl.abstractState();
  const result = await guarded(
    () => impl.perform(command),
    (m) => `CRASH: ${m}`,
  );
  let after = before;
  let invariants: readonly string[];
  try {
    after = await impl.abstractState();
    invariants = await impl.invariants();
  } catch (error) {
    invariants = [`the implementation failed to report its state: ${message(error)}`];
  }
  const expected = modelView(varNames, next);
  const expectedResult = command.op === "write_state" || command.op === "cpus_fail" ? "ok" : expected.result;
  if (result !== expectedResult && UNMODELLED.has(result) && sameState(before, after) && invariants.length === 0) {
    return { kind: "unmodelled" };
  }
  if (result === expectedResult && sameState(after, expected.abstract) && invariants.length === 0)
    return { kind: "conforms" };
  return {
    kind: "departs",
    departure: {
      step: index,
      command: describeCommand(command),
      expected: { result: expectedResult, state: expected.abstract },
      actual: { result, state: after, invariants },
    },
  };
}

async function guarded(f: () => string | Promise<string>, onError: (message: string) => string): Promise<string> {
  try {
    return await f();
  } catch (error) {
    return onError(message(error));
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function sameState(a: AbstractState, b: AbstractState): boolean {
  const names = Object.keys(a.cells);
  return (
    a.count === b.count &&
    a.disabled === b.disabled &&
    a.hung === b.hung &&
    names.length === Object.keys(b.cells).length &&
    names.every((n) => a.cells[n] === b.cells[n])
  );
}
