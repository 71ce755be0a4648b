/**
 * Inductiveness of each state predicate for fixed parameters: `Init => P` and
 * `TypeOK /\ L /\ P /\ Next => P'` for lemma sets L. TypeOK is the typing assumption of every
 * query (it is itself checked the same way). A predicate that is not inductive alone is retried
 * with the largest inductive conjunction of the model's predicates (Houdini), then with a
 * minimal subset of it. A counterexample to induction is decoded and replayed by the checker.
 */
import type { Value } from "../../models/index.js";
import type { ModelEncoding, StatePredicate, Step } from "./modelEncoding.js";
import { explicitEval, explicitStep, instance } from "./revalidate.js";
import type { Decl, Shape } from "./shape.js";
import { decodeShape } from "./shape.js";
import { discharge, type Obligation } from "./smtScript.js";
import { type B, bAnd, bNot, bOr } from "./sym.js";

/** A pair of states and the action between them: `from` satisfies the assumptions, `to` breaks the goal. */
export interface Cti {
  readonly from: readonly Value[];
  readonly to: readonly Value[];
  /** The checker's label of the step (action and parameters). */
  readonly action: string;
  /**
   * Set when the checker cannot replay the step because it stops with an evaluation error in
   * `from` (e.g. f[x] outside DOMAIN f, which TLA+ leaves unspecified and the encoding reads as
   * some image of f): the pair is a CTI of the translation, not confirmed by the checker.
   */
  readonly unconfirmed?: string;
}

export interface InductionQuery {
  readonly goal: string;
  readonly assumed: readonly string[];
  readonly verdict: "inductive" | "cti";
  readonly cti?: Cti;
  readonly smt2: string;
  readonly ms: number;
}

export interface InductionVerdict {
  readonly name: string;
  readonly kind: StatePredicate["kind"];
  /** `Init => P`: false when an initial state violates it (BMC reports the state). */
  readonly initial: boolean;
  readonly status: "inductive" | "inductiveWithLemmas" | "notInductive";
  /** Lemmas needed (empty when inductive alone). */
  readonly lemmas: readonly string[];
  /** The counterexample to induction alone (and with the lemmas tried, when still not inductive). */
  readonly ctiAlone?: Cti;
  readonly ctiWithLemmas?: Cti;
  readonly queries: readonly InductionQuery[];
}

/** One induction query: does `TypeOK /\ assumed /\ goal /\ Next` imply `goal'`? */
export async function inductionQuery(
  enc: ModelEncoding,
  goal: StatePredicate,
  assumed: readonly StatePredicate[],
): Promise<InductionQuery> {
  const decls: Decl[] = [];
  const s = enc.fresh("s", decls);
  const steps = enc.steps(s, "s", decls);
  const defs = steps.map((st, i) => [`step_${i}`, bAnd([st.guard, bNot(enc.holds(goal, st.next))])] as const);
  const asserts: B[] = [enc.typeOK(s), ...[goal, ...assumed].map((p) => enc.holds(p, s)), bOr(defs.map(([n]) => n))];
  const o: Obligation = {
    title: `${enc.model.name}: ${goal.name} is inductive relative to TypeOK${assumed.length ? `, ${assumed.map((p) => p.name).join(", ")}` : ""}`,
    decls,
    defs,
    asserts,
    wanted: [...decls.map((d) => d.name), ...defs.map(([n]) => n)],
  };
  const answer = await discharge(o);
  const base = { goal: goal.name, assumed: assumed.map((p) => p.name), smt2: answer.smt2, ms: answer.ms };
  if (answer.verdict === "unsat") return { ...base, verdict: "inductive" };
  const from = enc.shapes.map((shape, i) => decodeShape(shape, `s_${i}`, answer.values, enc.codes));
  const fired = steps.findIndex((_, i) => answer.values.get(`step_${i}`) === true);
  const step = steps[fired] as Step;
  const cti = confirm(enc, goal, assumed, from, step, answer.values);
  return { ...base, verdict: "cti", cti };
}

/** Recomputes the post-state from the decoded values and replays the step with the checker. */
function confirm(
  enc: ModelEncoding,
  goal: StatePredicate,
  assumed: readonly StatePredicate[],
  from: readonly Value[],
  step: Step,
  values: ReadonlyMap<string, boolean | number>,
): Cti {
  const { to, replay } = replayStep(enc, from, step, values);
  const fail = (why: string): never => {
    throw new Error(`${enc.model.name}: the solver's counterexample to ${goal.name} does not replay: ${why}`);
  };
  const label = `${step.action.name}${step.params.length ? `(${step.params.map((v) => JSON.stringify(v)).join(", ")})` : ""}`;
  for (const p of [goal, ...assumed]) {
    const holds = explicitEval(enc.model, from, p, enc.consts);
    if (holds === "error")
      return { from, to, action: label, unconfirmed: `the checker cannot evaluate ${p.name} there` };
    if (holds === "fails") fail(`the checker finds ${p.name} false in the first state`);
  }
  if (explicitEval(enc.model, to, goal, enc.consts) === "holds")
    fail(`the checker finds ${goal.name} true in the second state`);
  if (replay.ok) return { from, to, action: replay.label };
  if (replay.evaluationError) return { from, to, action: label, unconfirmed: replay.reason };
  return fail(replay.reason);
}

/**
 * A step the solver chose, made concrete: its nondeterministic choices decoded from the model,
 * the successor recomputed by the encoder, and the step replayed by the explicit checker.
 */
export function replayStep(
  enc: ModelEncoding,
  from: readonly Value[],
  step: Step,
  values: ReadonlyMap<string, boolean | number>,
): { to: Value[]; replay: ReturnType<typeof explicitStep> } {
  const choices = new Map(
    step.choices.map((c) => [c.index, decodeShape(enc.shapes[c.index] as Shape, c.prefix, values, enc.codes)] as const),
  );
  const to = postState(enc, from, step.action.name, step.params, choices);
  const replay = explicitStep(
    enc.model,
    from,
    to,
    instance(enc.model, step.action.name, step.params, choices),
    enc.consts,
  );
  return { to, replay };
}

/** The successor of a concrete state by one action instance, evaluated by the encoder (values fold). */
export function postState(
  enc: ModelEncoding,
  from: readonly Value[],
  action: string,
  params: readonly Value[],
  choices: ReadonlyMap<number, Value>,
): Value[] {
  const [step] = enc.steps(from, "post", [], { action, params, choices });
  if (step?.guard !== true) throw new Error(`${enc.model.name}: ${action} is not enabled in the decoded state`);
  return step.next.map((v) => {
    if (typeof v === "object" && "t" in v)
      throw new Error(`${enc.model.name}: post-state of ${action} is not concrete`);
    return v as Value;
  });
}

/** Runs the whole analysis: alone, Houdini fixpoint, minimal lemma sets. */
export async function analyseInduction(
  enc: ModelEncoding,
  initiallyFalse: ReadonlySet<string>,
): Promise<InductionVerdict[]> {
  const preds = enc.predicates;
  const queries = new Map<string, InductionQuery[]>(preds.map((p) => [p.name, []]));
  const ask = async (goal: StatePredicate, assumed: readonly StatePredicate[]): Promise<InductionQuery> => {
    const q = await inductionQuery(
      enc,
      goal,
      assumed.filter((a) => a.name !== goal.name && a.kind !== "type"),
    );
    queries.get(goal.name)?.push(q);
    return q;
  };
  const alone = new Map<string, InductionQuery>();
  for (const p of preds) alone.set(p.name, await ask(p, []));
  // Houdini: drop predicates that fail initially or are not preserved by the conjunction of the rest.
  let kept = preds.filter((p) => !initiallyFalse.has(p.name));
  for (;;) {
    const dropped: string[] = [];
    for (const p of kept) {
      if (alone.get(p.name)?.verdict === "inductive") continue;
      if ((await ask(p, kept)).verdict === "cti") dropped.push(p.name);
    }
    if (dropped.length === 0) break;
    kept = kept.filter((p) => !dropped.includes(p.name));
  }
  const out: InductionVerdict[] = [];
  for (const p of preds) {
    const first = alone.get(p.name) as InductionQuery;
    const initial = !initiallyFalse.has(p.name);
    const common = { name: p.name, kind: p.kind, initial };
    if (first.verdict === "inductive") {
      out.push({ ...common, status: "inductive", lemmas: [], queries: queries.get(p.name) ?? [] });
      continue;
    }
    if (!kept.some((k) => k.name === p.name)) {
      const withAll = await ask(
        p,
        kept.filter((k) => k.name !== p.name),
      );
      out.push({
        ...common,
        status: "notInductive",
        lemmas: [],
        ...(first.cti ? { ctiAlone: first.cti } : {}),
        ...(withAll.cti ? { ctiWithLemmas: withAll.cti } : {}),
        queries: queries.get(p.name) ?? [],
      });
      continue;
    }
    // Greedy minimisation: drop each lemma the proof does not need.
    let lemmas = kept.filter((k) => k.name !== p.name && k.kind !== "type");
    for (const l of [...lemmas]) {
      const without = lemmas.filter((x) => x.name !== l.name);
      if ((await ask(p, without)).verdict === "inductive") lemmas = without;
    }
    out.push({
      ...common,
      status: "inductiveWithLemmas",
      lemmas: lemmas.map((l) => l.name),
      ...(first.cti ? { ctiAlone: first.cti } : {}),
      queries: queries.get(p.name) ?? [],
    });
  }
  return out;
}
