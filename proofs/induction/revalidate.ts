/**
 * Independent confirmation of what the solver found, by the explicit-state checker's own
 * evaluation: each counterexample is replayed on a copy of the model whose Init is the state in
 * question and whose Next is the one action instance, so no SMT translation is trusted.
 */
import type { Action, Model, Node, Value } from "../../models/index.js";
import { setOf, valuesEqual } from "../../models/index.js";
import { checkModel, type Verdict } from "../explicit/index.js";
import type { StatePredicate } from "./modelEncoding.js";

const lit = (value: Value): Node => ({ k: "lit", value });

/** `vars = values` as a kernel formula. */
function isState(model: Model, values: readonly Value[]): Node {
  return {
    k: "op",
    op: "and",
    args: model.variables.map((v, i) => ({
      k: "op",
      op: "eq",
      args: [{ k: "var", name: v.name }, lit(values[i] as Value)],
    })),
  };
}

/** A copy of `model` starting in `from`, with only `actions` and the given invariants. */
function restricted(
  model: Model,
  from: readonly Value[] | undefined,
  actions: readonly Action[],
  invariants: Model["invariants"],
): Model {
  const { constraint: _dropped, ...rest } = model;
  return {
    ...rest,
    init: from ? model.variables.map((v, i) => ({ var: v.name, eq: lit(from[i] as Value) })) : model.init,
    actions,
    invariants,
    properties: [],
    fairness: [],
    checkDeadlock: false,
  };
}

/** The action with its parameters fixed (still checked against their sets) and its `\in` choices fixed. */
export function instance(
  model: Model,
  name: string,
  params: readonly Value[],
  choices: ReadonlyMap<number, Value> = new Map(),
): Action {
  const action = model.actions.find((a) => a.name === name);
  if (!action) throw new Error(`model ${model.name} has no action ${name}`);
  const only = (set: Node, v: Value): Node => ({ k: "op", op: "intersect", args: [set, lit(setOf([v]))] });
  return {
    ...action,
    params: action.params.map((p, i) => ({ name: p.name, set: only(p.set, params[i] as Value) })),
    updates: action.updates.map((u) => {
      const index = model.variables.findIndex((v) => v.name === u.var);
      const chosen = choices.get(index);
      return "in" in u && chosen !== undefined ? { var: u.var, in: only(u.in, chosen) } : u;
    }),
  };
}

const asInvariant = (pred: StatePredicate): Model["invariants"] =>
  pred.p ? [{ name: pred.name, doc: "", p: pred.p }] : [];

const run = (model: Model, constants?: ReadonlyMap<string, Value>): Verdict =>
  checkModel(model, { maxStates: 1, symmetry: false, ...(constants ? { constants } : {}) });

/** How the checker evaluates `pred` in `state` (TypeOK included: a state outside it fails). */
export function explicitEval(
  model: Model,
  state: readonly Value[],
  pred: StatePredicate,
  constants?: ReadonlyMap<string, Value>,
): "holds" | "fails" | "error" {
  const verdict = run(restricted(model, state, [], asInvariant(pred)), constants);
  if (verdict.kind === "holds") return "holds";
  return verdict.kind === "violated" && verdict.propertyKind === "evaluation" ? "error" : "fails";
}

/** Whether the checker evaluates `pred` true in `state`. */
export const explicitHolds = (
  model: Model,
  state: readonly Value[],
  pred: StatePredicate,
  constants?: ReadonlyMap<string, Value>,
): boolean => explicitEval(model, state, pred, constants) === "holds";

/** Whether the action instance's guard (with its parameters' membership) holds in `state`. */
export function explicitEnabled(
  model: Model,
  state: readonly Value[],
  name: string,
  params: readonly Value[],
  constants?: ReadonlyMap<string, Value>,
): boolean {
  // Without updates the successor is the state itself; a state with no successor is a deadlock.
  const step = { ...instance(model, name, params), updates: [] };
  const verdict = checkModel(restricted(model, state, [step], []), {
    maxStates: 1,
    symmetry: false,
    checkDeadlock: true,
    ...(constants ? { constants } : {}),
  });
  return verdict.kind !== "violated";
}

/**
 * The checker's label for the step `from -> to` by the given instance, or a reason it is not a
 * step of the model (as the checker evaluates it).
 */
export function explicitStep(
  model: Model,
  from: readonly Value[],
  to: readonly Value[],
  step: Action,
  constants?: ReadonlyMap<string, Value>,
): { ok: true; label: string } | { ok: false; reason: string; evaluationError: boolean } {
  if (from.every((v, i) => valuesEqual(v, to[i] as Value)))
    return { ok: false, reason: "the step does not change the state", evaluationError: false };
  const reached = { name: "ReachedTarget", doc: "", p: { k: "op", op: "not", args: [isState(model, to)] } as Node };
  const verdict = run(restricted(model, from, [step], [reached]), constants);
  const second = verdict.kind === "violated" ? verdict.trace.steps[1] : undefined;
  // TypeOK is checked before ReachedTarget, so an untyped target stops the search there too.
  if (second?.values.every((v, i) => valuesEqual(v, to[i] as Value))) return { ok: true, label: second.action };
  const why =
    verdict.kind === "violated"
      ? `${verdict.property} after ${verdict.trace.steps.length} states: ${verdict.message}`
      : verdict.kind;
  const evaluationError = verdict.kind === "violated" && verdict.propertyKind === "evaluation";
  return { ok: false, reason: `the checker does not reach the state (${why})`, evaluationError };
}

/** Whether `state` is one of the model's initial states. */
export function explicitInitial(
  model: Model,
  state: readonly Value[],
  constants?: ReadonlyMap<string, Value>,
): boolean {
  const reached = { name: "ReachedTarget", doc: "", p: { k: "op", op: "not", args: [isState(model, state)] } as Node };
  const verdict = run(restricted(model, undefined, [], [reached]), constants);
  return verdict.kind === "violated" && verdict.property === "ReachedTarget" && verdict.trace.steps.length === 1;
}
