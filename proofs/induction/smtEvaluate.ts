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
  readonly guards: readonly { readonly action: string; readonly params: readonly Value[]; readonly enabled: boolean }[];
}

export async function smtEvaluate(enc: ModelEncoding, state: readonly Value[]): Promise<SmtEvaluation> {
  const decls: Decl[] = [];
  const s = enc.fresh("s", decls);
  const pin = bAnd(s.map((x, i) => eqSym(x, state[i] as Value, enc.codes)));
  // A guard with an `x' \in S` choice reads as "enabled for the choice Z3 picked": only choice-free models compare.
  const steps = enc.steps(s, "s", decls);
  const defs: [string, B][] = [
    ...enc.predicates.map((p, i) => [`p_${i}`, enc.holds(p, s)] as [string, B]),
    ...steps.map((st, i) => [`g_${i}`, st.guard] as [string, B]),
  ];
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
    guards: steps.map((st, i) => ({
      action: st.action.name,
      params: st.params,
      enabled: answer.values.get(`g_${i}`) === true,
    })),
  };
}
