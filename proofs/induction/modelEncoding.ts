/**
 * A model translated for fixed constants: variable shapes, `TypeOK`, the invariants (and the
 * `[]P` safety properties, which are invariants too), `Init`, and `Next` as a list of action
 * instances with their parameters unrolled. Post-states are symbolic values built from the
 * pre-state (variables an action does not assign keep their pre-state value: UNCHANGED).
 */
import type { Action, Model, Node, Value } from "../../models/index.js";
import { type Env, encode, encodeIn, withBound } from "./encodeExpr.js";
import { type Decl, freshOf, type Shape, shapeOfType } from "./shape.js";
import { type B, bAnd, EncodingError, eqSym, inSym, StringCodes, type Sym, setView, toB } from "./sym.js";

/** A state predicate checked on every reachable state. */
export interface StatePredicate {
  readonly name: string;
  readonly kind: "type" | "invariant" | "property";
  readonly p?: Node;
}

/** One disjunct of Next from a given pre-state: an action with its parameters bound. */
export interface Step {
  readonly action: Action;
  readonly params: readonly Value[];
  /** Enabledness: the parameters' membership, the guard, and `x' \in S` memberships. */
  readonly guard: B;
  readonly next: readonly Sym[];
  /** Fresh constants chosen for `x' \in S` updates, by variable index, with their prefix. */
  readonly choices: readonly { readonly index: number; readonly prefix: string }[];
}

export class ModelEncoding {
  readonly codes = new StringCodes();
  readonly consts: ReadonlyMap<string, Value>;
  readonly vars: readonly string[];
  readonly shapes: readonly Shape[];
  readonly predicates: readonly StatePredicate[];

  constructor(
    readonly model: Model,
    constants?: ReadonlyMap<string, Value>,
  ) {
    this.consts = new Map([...model.constants.map((c) => [c.name, c.value] as const), ...(constants ?? [])]);
    this.vars = model.variables.map((v) => v.name);
    const env = this.env(new Map());
    this.shapes = model.variables.map((v) => {
      try {
        return shapeOfType(v.type, env);
      } catch (error) {
        if (error instanceof EncodingError) throw new EncodingError(`type of ${v.name}: ${error.message}`);
        throw error;
      }
    });
    this.predicates = [
      { name: "TypeOK", kind: "type" },
      ...model.invariants.map((i) => ({ name: i.name, kind: "invariant" as const, p: i.p })),
      ...model.properties.flatMap((p) =>
        p.kind === "always" ? [{ name: p.name, kind: "property" as const, p: p.p }] : [],
      ),
    ];
  }

  env(state: ReadonlyMap<string, Sym>): Env {
    return { consts: this.consts, state, bound: new Map(), codes: this.codes };
  }

  stateEnv(state: readonly Sym[]): Env {
    return this.env(new Map(this.vars.map((v, i) => [v, state[i] as Sym])));
  }

  /** Fresh constants for a whole state, named `<prefix>_<variable index>…`. */
  fresh(prefix: string, decls: Decl[]): Sym[] {
    return this.shapes.map((s, i) => freshOf(s, `${prefix}_${i}`, decls));
  }

  typeOK(state: readonly Sym[]): B {
    const env = this.stateEnv(state);
    return bAnd(this.model.variables.map((v, i) => encodeIn(state[i] as Sym, v.type, env)));
  }

  holds(pred: StatePredicate, state: readonly Sym[]): B {
    if (!pred.p) return this.typeOK(state);
    return toB(encode(pred.p, this.stateEnv(state)));
  }

  constraint(state: readonly Sym[]): B {
    return this.model.constraint ? toB(encode(this.model.constraint, this.stateEnv(state))) : true;
  }

  /** `Init` for the state `state`: one formula over it (`x = e` or `x \in S` per clause, in order). */
  init(state: readonly Sym[]): B {
    const assigned = new Map<string, Sym>();
    const parts: B[] = [];
    for (const clause of this.model.init) {
      const index = this.vars.indexOf(clause.var);
      const env = this.env(assigned);
      const target = state[index] as Sym;
      parts.push("eq" in clause ? eqSym(target, encode(clause.eq, env), this.codes) : encodeIn(target, clause.in, env));
      assigned.set(clause.var, target);
    }
    return bAnd(parts);
  }

  /**
   * The initial state as symbolic values computed from the clauses (no constants for `x = e`),
   * plus fresh constants for `x \in S`: used where an untyped initial value must stay visible.
   */
  initialState(prefix: string, decls: Decl[]): { state: Sym[]; cond: B } {
    const assigned = new Map<string, Sym>();
    const parts: B[] = [];
    for (const clause of this.model.init) {
      const index = this.vars.indexOf(clause.var);
      const env = this.env(assigned);
      let value: Sym;
      if ("eq" in clause) value = encode(clause.eq, env);
      else {
        value = freshOf(this.shapes[index] as Shape, `${prefix}_${index}`, decls);
        parts.push(encodeIn(value, clause.in, env));
      }
      assigned.set(clause.var, value);
    }
    return { state: this.vars.map((v) => assigned.get(v) as Sym), cond: bAnd(parts) };
  }

  /** Every action instance from `state`; `prefix` names the constants of `x' \in S` choices. */
  steps(state: readonly Sym[], prefix: string, decls: Decl[], given?: StepChoice): Step[] {
    const out: Step[] = [];
    const base = this.stateEnv(state);
    this.model.actions.forEach((action, a) => {
      if (given && given.action !== action.name) return;
      const bind = (p: number, env: Env, params: Value[], conds: B[]): void => {
        if (p === action.params.length) {
          out.push(this.step(action, env, state, params, conds, `${prefix}_a${a}_${out.length}`, decls, given));
          return;
        }
        const param = action.params[p] as Action["params"][number];
        for (const [v, m] of setView(encode(param.set, env))) {
          if (m === false) continue;
          if (given && JSON.stringify(given.params[p]) !== JSON.stringify(v)) continue;
          bind(p + 1, withBound(env, param.name, v), [...params, v], [...conds, m]);
        }
      };
      bind(0, base, [], []);
    });
    return out;
  }

  private step(
    action: Action,
    env: Env,
    state: readonly Sym[],
    params: Value[],
    conds: B[],
    prefix: string,
    decls: Decl[],
    given: StepChoice | undefined,
  ): Step {
    const next = [...state];
    const parts = [...conds, toB(encode(action.guard, env))];
    const choices: { index: number; prefix: string }[] = [];
    for (const u of action.updates) {
      const index = this.vars.indexOf(u.var);
      if (index < 0) throw new EncodingError(`action ${action.name} assigns unknown variable ${u.var}`);
      if ("eq" in u) next[index] = encode(u.eq, env);
      else {
        const chosen = given?.choices.get(index);
        const set = encode(u.in, env);
        if (chosen !== undefined) {
          next[index] = chosen;
          parts.push(inSym(chosen, set, this.codes));
        } else {
          const p = `${prefix}_c${index}`;
          const value = freshOf(this.shapes[index] as Shape, p, decls);
          choices.push({ index, prefix: p });
          next[index] = value;
          parts.push(inSym(value, set, this.codes));
        }
      }
    }
    return { action, params, guard: bAnd(parts), next, choices };
  }
}

/** A specific action instance, with values for its `x' \in S` choices (to recompute a post-state). */
export interface StepChoice {
  readonly action: string;
  readonly params: readonly Value[];
  readonly choices: ReadonlyMap<number, Value>;
}
