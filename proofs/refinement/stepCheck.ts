/**
 * The one generic step check: from related states, the implementation performs the command the
 * model's step stands for; its result must be the model's prediction, the abstract states must
 * be related again, and the implementation's invariants must hold.
 */
import type { Value } from "../../models/index.js";
import type { ModelBinding } from "./bindings.js";
import { type Command, describeCommand, type Implementation } from "./implementation.js";

/** Errors the model abstracts away (resources, memory): accepted when the abstract state did not change. */
const UNMODELLED = new Set(["EBUSY", "ENOMEM", "EINVAL", "E2BIG", "ERANGE"]);

export interface Departure {
  readonly step: number;
  readonly command: string;
  readonly expected: { readonly result: string; readonly state: unknown };
  readonly actual: { readonly result: string; readonly state: unknown; readonly invariants: readonly string[] };
}

export type StepOutcome =
  | { readonly kind: "conforms" }
  | { readonly kind: "unmodelled"; readonly result: string }
  | { readonly kind: "departs"; readonly departure: Departure };

/**
 * The implementation's state (`binding.actual`'s view) carried from one step to the next: a step
 * that does not depart leaves its state after in `after`, and the next step takes it as its state
 * before instead of asking again (nothing but `applicable` queries ran in between).
 */
export interface CarriedState {
  after?: string;
}

export async function checkStep(
  impl: Implementation,
  binding: ModelBinding,
  varNames: readonly string[],
  next: readonly Value[],
  command: Command,
  index: number,
  tolerated: ReadonlySet<string> = new Set(),
  carried?: CarriedState,
): Promise<StepOutcome> {
  const before = carried?.after ?? binding.actual(await impl.abstractState());
  const result = await guarded(() => impl.perform(command));
  let after = before;
  let invariants: readonly string[];
  try {
    after = binding.actual(await impl.abstractState());
    invariants = (await impl.invariants()).filter((v) => !tolerated.has(v.split(":")[0] ?? ""));
  } catch (error) {
    invariants = [`the implementation failed to report its state: ${message(error)}`];
  }
  const expected = binding.expected(varNames, next, command);
  const acceptable = [expected.result].flat();
  const expectedResult = acceptable.join(" or ");
  if (!acceptable.includes(result) && UNMODELLED.has(result) && before === after && invariants.length === 0) {
    if (carried) carried.after = after;
    return { kind: "unmodelled", result };
  }
  if (acceptable.includes(result) && after === expected.view && invariants.length === 0) {
    if (carried) carried.after = after;
    return { kind: "conforms" };
  }
  return {
    kind: "departs",
    departure: {
      step: index,
      command: describeCommand(command),
      expected: { result: expectedResult, state: JSON.parse(expected.view) },
      actual: { result, state: JSON.parse(after), invariants },
    },
  };
}

async function guarded(f: () => string | Promise<string>): Promise<string> {
  try {
    return await f();
  } catch (error) {
    return `CRASH: ${message(error)}`;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
