/**
 * Bounded model checking: `Init(s0) /\ Next(s0,s1) /\ … /\ Next(s_{k-1},s_k) /\ ~P(s_k)` for
 * k = 0, 1, …, K, so each predicate's violation is found at its shortest depth. States before
 * the last are typed constants (a state leaving TypeOK is itself found at its depth, as a
 * TypeOK violation); the last one is computed from its predecessor, so any value shows.
 */
import type { Value } from "../../models/index.js";
import { replayStep } from "./induction.js";
import type { ModelEncoding, StatePredicate, Step } from "./modelEncoding.js";
import { explicitHolds, explicitInitial } from "./revalidate.js";
import { type Decl, decodeShape, type Shape } from "./shape.js";
import { discharge } from "./smtScript.js";
import { type B, bAnd, bNot, bOr, eqSym, type Sym } from "./sym.js";

export interface BmcTrace {
  readonly vars: readonly string[];
  readonly steps: readonly { readonly action: string; readonly values: readonly Value[] }[];
}

export interface BmcViolation {
  readonly name: string;
  /** Number of transitions (the trace has depth + 1 states). */
  readonly depth: number;
  readonly trace: BmcTrace;
}

export interface BmcResult {
  readonly bound: number;
  readonly violations: readonly BmcViolation[];
  /** Every query's script, by depth. */
  readonly scripts: readonly { readonly depth: number; readonly smt2: string; readonly ms: number }[];
  readonly ms: number;
}

export async function boundedCheck(enc: ModelEncoding, bound: number): Promise<BmcResult> {
  const started = performance.now();
  let open = [...enc.predicates];
  const violations: BmcViolation[] = [];
  const scripts: BmcResult["scripts"][number][] = [];
  for (let depth = 0; depth <= bound && open.length > 0; depth++) {
    for (;;) {
      const found = await query(enc, depth, open);
      scripts.push({ depth, smt2: found.smt2, ms: found.ms });
      if (!found.trace) break;
      const last = found.trace.steps[found.trace.steps.length - 1]?.values ?? [];
      const broken = open.filter((p) => !explicitHolds(enc.model, last, p, enc.consts));
      if (broken.length === 0)
        throw new Error(`${enc.model.name}: BMC state at depth ${depth} violates nothing when replayed`);
      for (const p of broken) violations.push({ name: p.name, depth, trace: found.trace });
      open = open.filter((p) => !broken.includes(p));
      if (open.length === 0) break;
    }
  }
  return { bound, violations, scripts, ms: Math.round(performance.now() - started) };
}

async function query(
  enc: ModelEncoding,
  depth: number,
  open: readonly StatePredicate[],
): Promise<{ trace?: BmcTrace; smt2: string; ms: number }> {
  const decls: Decl[] = [];
  const defs: [string, B][] = [];
  const asserts: B[] = [];
  const states: Sym[][] = [];
  const chain: Step[][] = [];
  if (depth === 0) {
    const { state, cond } = enc.initialState("s0", decls);
    asserts.push(cond, enc.constraint(state), bOr(open.map((p) => bNot(enc.holds(p, state)))));
    states.push(state);
  } else {
    for (let i = 0; i < depth; i++) {
      const s = enc.fresh(`s${i}`, decls);
      asserts.push(enc.typeOK(s), enc.constraint(s));
      if (i === 0) asserts.push(enc.init(s));
      states.push(s);
    }
    for (let i = 0; i < depth; i++) {
      const steps = enc.steps(states[i] as Sym[], `t${i}`, decls);
      chain.push(steps);
      const target = states[i + 1];
      steps.forEach((st, j) => {
        const reach = target
          ? bAnd(st.next.map((v, x) => eqSym(target[x] as Sym, v, enc.codes)))
          : bAnd([enc.constraint(st.next), bOr(open.map((p) => bNot(enc.holds(p, st.next))))]);
        defs.push([`t${i}_${j}`, bAnd([st.guard, reach])]);
      });
      asserts.push(bOr(steps.map((_, j) => `t${i}_${j}`)));
    }
  }
  const answer = await discharge({
    title: `${enc.model.name}: a behaviour of ${depth} steps ending in a state that violates ${open.map((p) => p.name).join(" or ")}`,
    decls,
    defs,
    asserts,
    wanted: [...decls.map((d) => d.name), ...defs.map(([n]) => n)],
  });
  if (answer.verdict === "unsat") return { smt2: answer.smt2, ms: answer.ms };
  return { trace: decodeTrace(enc, depth, states, chain, answer.values), smt2: answer.smt2, ms: answer.ms };
}

function decodeTrace(
  enc: ModelEncoding,
  depth: number,
  states: readonly (readonly Sym[])[],
  chain: readonly (readonly Step[])[],
  values: ReadonlyMap<string, boolean | number>,
): BmcTrace {
  const fail = (why: string): never => {
    throw new Error(`${enc.model.name}: the BMC counterexample at depth ${depth} does not replay: ${why}`);
  };
  const decoded: Value[][] = [];
  if (depth === 0) {
    const s0 = states[0] ?? [];
    decoded.push(
      s0.map((v, i) =>
        typeof v === "object" && "t" in v
          ? decodeShape(enc.shapes[i] as Shape, `s0_${i}`, values, enc.codes)
          : (v as Value),
      ),
    );
  } else {
    decoded.push(enc.shapes.map((sh, i) => decodeShape(sh, `s0_${i}`, values, enc.codes)));
  }
  if (!explicitInitial(enc.model, decoded[0] as Value[], enc.consts)) fail("the first state is not initial");
  const steps = [{ action: "Init", values: decoded[0] as Value[] }];
  for (let i = 0; i < depth; i++) {
    const options = chain[i] ?? [];
    const j = options.findIndex((_, k) => values.get(`t${i}_${k}`) === true);
    const st = options[j];
    if (!st) return fail(`no step ${i} is taken`);
    const { to, replay } = replayStep(enc, decoded[i] as Value[], st, values);
    if (!replay.ok) return fail(replay.reason);
    decoded.push(to);
    steps.push({ action: replay.label, values: to });
  }
  return { vars: enc.vars, steps };
}
