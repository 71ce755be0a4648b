/**
 * The translation's self-check: every state predicate and every action instance's enabledness
 * in one concrete state, as Z3 evaluates the symbolic encoding (the state's constants pinned to
 * the values, the formulas built over the constants, not over the values).
 */
import type { Value } from "../../models/index.js";
import type { ModelEncoding } from "./modelEncoding.js";
import type { Decl } from "./shape.js";
import { discharge } from "./smtScript.js";
import { type B, bAnd, eqSym } from "./sym.js";

export interface SmtEvaluation {
  readonly predicates: ReadonlyMap<string, boolean>;
  readonly guards: readonly {
    readonly action: string;
    readonly params: readonly Value[];
    readonly enabled: boolean;
    /** The successor as the encoder computes it from the values (when enabled there). */
    readonly next?: readonly Value[];
    /** Whether the symbolic post-state, pinned to the state, equals `next`. */
    readonly nextAgrees?: boolean;
  }[];
}

export async function smtEvaluate(enc: ModelEncoding, state: readonly Value[]): Promise<SmtEvaluation> {
  const decls: Decl[] = [];
  const s = enc.fresh("s", decls);
  const pin = bAnd(s.map((x, i) => eqSym(x, state[i] as Value, enc.codes)));
  // A guard with an `x' \in S` choice reads as "enabled for the choice Z3 picked": only choice-free models compare.
  const steps = enc.steps(s, "s", decls);
  const key = (action: string, params: readonly Value[]) => JSON.stringify([action, params]);
  const concrete = new Map(
    enc
      .steps(state, "v", [])
      .filter((st) => st.guard === true && st.choices.length === 0)
      .map((st) => [key(st.action.name, st.params), st.next as Value[]] as const),
  );
  const defs: [string, B][] = [
    ...enc.predicates.map((p, i) => [`p_${i}`, enc.holds(p, s)] as [string, B]),
    ...steps.map((st, i) => [`g_${i}`, st.guard] as [string, B]),
  ];
  steps.forEach((st, i) => {
    const next = concrete.get(key(st.action.name, st.params));
    if (next) defs.push([`n_${i}`, bAnd(st.next.map((v, x) => eqSym(next[x] as Value, v, enc.codes)))]);
  });
  const answer = await discharge({
    title: `${enc.model.name}: evaluate every predicate and guard in one state`,
    decls,
    defs,
    asserts: [pin],
    wanted: defs.map(([n]) => n),
  });
  if (answer.verdict !== "sat") throw new Error(`${enc.model.name}: the state is not representable by its shape`);
  return {
    predicates: new Map(enc.predicates.map((p, i) => [p.name, answer.values.get(`p_${i}`) === true])),
    guards: steps.map((st, i) => {
      const next = concrete.get(key(st.action.name, st.params));
      return {
        action: st.action.name,
        params: st.params,
        enabled: answer.values.get(`g_${i}`) === true,
        ...(next ? { next, nextAgrees: answer.values.get(`n_${i}`) === true } : {}),
      };
    }),
  };
}
