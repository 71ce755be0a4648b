/**
 * Models and the verdict comparison shared by the tests that check one search against another
 * (parallel, on disk, flat or not): counter models with violations, deadlocks and evaluation
 * errors, and a model whose function leaves the flat layout.
 */
import {
  and,
  apply,
  constFn,
  defineModel,
  div,
  type Ex,
  except,
  type Fn,
  fnSet,
  lit,
  lt,
  minus,
  mod,
  plus,
  range,
  type SetT,
  times,
  withParams,
} from "../../models/index.js";
import type { Verdict } from "../../proofs/index.js";

/** What must agree: everything but the time and the memory figures. */
export function essence(v: Verdict) {
  const { distinctStates, generatedStates, depth } = v.stats;
  return {
    kind: v.kind,
    counts: [distinctStates, generatedStates, depth],
    ...(v.kind === "violated" ? { property: v.property, message: v.message, trace: v.trace } : {}),
    ...(v.kind === "incomplete" ? { reason: v.reason } : {}),
  };
}

export type Fault = "none" | "guard" | "invariant";

type CounterVars = { x: Fn<number, number> };
type Prop = { doc: string; p: Ex<boolean> };

/** x[0] + … + x[n-1]. */
export const counterSum = (x: Ex<Fn<number, number>>, n: number): Ex<number> =>
  Array.from({ length: n }, (_, i) => apply(x, i)).reduce((a, b) => plus(a, b)) as Ex<number>;

/** N counters modulo K: Tick(i) adds 1 to counter i while `guard` holds, under `invariants`. */
export function counterModel(
  n: number,
  k: number,
  spec: {
    readonly guard: (x: Ex<Fn<number, number>>, i: Ex<number>) => Ex<boolean>;
    readonly invariants: (x: Ex<Fn<number, number>>) => Record<string, Prop>;
    readonly deadlock: boolean;
  },
) {
  const procs = { kind: "set" as const, elems: Array.from({ length: n }, (_, i) => i) };
  return defineModel<CounterVars, { P: SetT<number> }>({
    name: "Counters",
    doc: "test model",
    header: "",
    constants: { P: { doc: "processes", value: procs } },
    variables: ({ c }) => ({ x: { doc: "counters", type: fnSet(c.P, range(0, k - 1)) } }),
    init: ({ c }) => ({ x: constFn(c.P, 0) }),
    actions: ({ v, c }) => ({
      Tick: withParams<CounterVars>([["i", c.P]], (i: Ex<number>) => ({
        doc: "counter i ticks",
        guard: spec.guard(v.x, i),
        update: { x: except(v.x, i, mod(plus(apply(v.x, i), 1), k)) },
      })),
    }),
    invariants: ({ v }) => spec.invariants(v.x),
    checkDeadlock: spec.deadlock,
  });
}

/** N counters modulo K, each ticking while below `bound`; the sum is bounded by `cap`. */
export function counters(n: number, k: number, bound: number, cap: number, fault: Fault, deadlock: boolean) {
  // 1 \div (s - cap - 1) fails exactly when the sum reaches cap + 1.
  const failing = (x: Ex<Fn<number, number>>): Ex<boolean> => lt(div(1, minus(counterSum(x, n), cap + 1)), 100);
  return counterModel(n, k, {
    guard: (x, i) => and(lt(apply(x, i), bound), fault === "guard" ? failing(x) : lit(true)),
    invariants: (x) => ({
      Capped: { doc: "test", p: fault === "invariant" ? failing(x) : lt(counterSum(x, n), cap + 1) },
    }),
    deadlock,
  });
}

/** x = [0 |-> 0, 1 |-> 0] ticks x[1], then Shrink sets x to a function on {0}: a TypeOK violation. */
export function shrinkModel() {
  type V = { x: Fn<number, number> };
  return defineModel<V, { P: SetT<number>; Q: SetT<number> }>({
    name: "Shrink",
    doc: "test model",
    header: "",
    constants: {
      P: { doc: "domain", value: { kind: "set", elems: [0, 1] } },
      Q: { doc: "smaller domain", value: { kind: "set", elems: [0] } },
    },
    variables: ({ c }) => ({ x: { doc: "a function", type: fnSet(c.P, range(0, 1)) } }),
    init: ({ c }) => ({ x: constFn(c.P, 0) }),
    actions: ({ v, c }) => ({
      Tick: { doc: "one entry", guard: apply(v.x, 0).eq(0), update: { x: except(v.x, 1, 1) } },
      Shrink: { doc: "loses an argument", guard: apply(v.x, 1).eq(1), update: { x: constFn(c.Q, 0) } },
    }),
    checkDeadlock: false,
  });
}

/**
 * x starts at 0 and becomes 2x + 1 or 2x + 2 while below `limit`: every number up to 2 * limit
 * once, in a binary tree, so the search meets as many distinct values as states.
 */
export function doublingModel(limit: number) {
  type V = { x: number };
  return defineModel<V, { B: SetT<number> }>({
    name: "Doubling",
    doc: "test model",
    header: "",
    constants: { B: { doc: "the two children", value: { kind: "set", elems: [1, 2] } } },
    variables: () => ({ x: { doc: "a number", type: range(0, 2 * limit) } }),
    init: () => ({ x: lit(0) }),
    actions: ({ v, c }) => ({
      Double: withParams<V>([["b", c.B]], (b: Ex<number>) => ({
        doc: "one child",
        guard: lt(v.x, limit),
        update: { x: plus(times(v.x, 2), b) },
      })),
    }),
    checkDeadlock: false,
  });
}
