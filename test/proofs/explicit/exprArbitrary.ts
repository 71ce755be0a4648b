/**
 * Random expressions over a small state for the evaluator tests: x (an integer 0..3), s (a set of
 * such integers), f (a function on 1..3) and the bound name q, with states to evaluate them on;
 * and `attempt`, which turns a model error into an outcome two evaluators can be compared on.
 */
import fc from "fast-check";
import type { Node, Value } from "../../../models/index.js";
import { ModelEvalError } from "../../../proofs/explicit/compile.js";

/** What a compilation or an evaluation gave: its result, or the message of the model's error. */
export type Attempt<T> = { readonly value: T } | { readonly error: string };

export function attempt<T>(run: () => T): Attempt<T> {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof ModelEvalError) return { error: error.message };
    throw error;
  }
}

const v = (name: string): Node => ({ k: "var", name });
const q: Node = { k: "bound", name: "q" };
const op = (o: Extract<Node, { k: "op" }>["op"], ...args: Node[]): Node => ({ k: "op", op: o, args });
export const lit = (value: Value): Node => ({ k: "lit", value });

export const exprs = fc.letrec<{ int: Node; bool: Node; set: Node; fn: Node }>((tie) => ({
  int: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: 0, max: 3 }).map((n) => lit(n)),
    fc.constant(v("x")),
    fc.constant(q),
    fc.tuple(tie("fn"), tie("int")).map(([f, a]): Node => ({ k: "apply", fn: f, arg: a })),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("plus", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("mod", a, b)),
    tie("set").map((s) => op("cardinality", s)),
    fc
      .tuple(tie("bool"), tie("int"), tie("int"))
      .map(([c, t, e]): Node => ({ k: "if", cond: c, ifTrue: t, ifFalse: e })),
    fc.tuple(tie("set"), tie("bool")).map(([s, b]): Node => ({ k: "choose", name: "q", set: s, body: b })),
    fc.tuple(tie("int"), tie("int")).map(([d, b]): Node => ({ k: "let", name: "q", def: d, body: b })),
  ),
  bool: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.boolean().map((b) => lit(b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("eq", a, b)),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("lt", a, b)),
    fc.tuple(tie("int"), tie("set")).map(([a, s]) => op("in", a, s)),
    fc.tuple(tie("int"), tie("set")).map(([a, s]) => op("notin", a, s)),
    fc.tuple(tie("set"), tie("set")).map(([a, b]) => op("subseteq", a, b)),
    fc.tuple(tie("set"), tie("set")).map(([a, b]) => op("eq", a, b)),
    fc.tuple(tie("fn"), tie("fn")).map(([a, b]) => op("eq", a, b)),
    fc.tuple(tie("bool"), tie("bool")).map(([a, b]) => op("and", a, b)),
    fc.tuple(tie("bool"), tie("bool"), tie("bool")).map(([a, b, c]) => op("or", a, b, c)),
    tie("bool").map((a) => op("not", a)),
    fc.tuple(tie("bool"), tie("bool")).map(([a, b]) => op("implies", a, b)),
    fc.tuple(tie("set"), tie("bool")).map(([s, b]): Node => ({ k: "forall", name: "q", set: s, body: b })),
    fc.tuple(tie("set"), tie("bool")).map(([s, b]): Node => ({ k: "exists", name: "q", set: s, body: b })),
    tie("fn").map((f) =>
      op("in", f, { k: "fnSet", domain: op("range", lit(1), lit(3)), range: op("range", lit(0), lit(3)) }),
    ),
    tie("set").map((s) => op("in", s, op("subsets", v("s")))),
  ),
  set: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(v("s")),
    fc.tuple(tie("int"), tie("int")).map(([a, b]) => op("range", a, b)),
    fc.array(tie("int"), { maxLength: 3 }).map((xs) => op("setEnum", ...xs)),
    fc.tuple(tie("set"), tie("set")).map(([a, b]) => op("union", a, b)),
    fc.tuple(tie("set"), tie("set")).map(([a, b]) => op("intersect", a, b)),
    fc.tuple(tie("set"), tie("set")).map(([a, b]) => op("setminus", a, b)),
    fc.tuple(tie("set"), tie("int")).map(([s, b]): Node => ({ k: "setMap", name: "q", set: s, body: b })),
    fc.tuple(tie("set"), tie("bool")).map(([s, b]): Node => ({ k: "setFilter", name: "q", set: s, body: b })),
    tie("fn").map((f) => op("domain", f)),
  ),
  fn: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(v("f")),
    fc.tuple(tie("fn"), tie("int"), tie("int")).map(([f, a, b]): Node => ({ k: "except", fn: f, arg: a, value: b })),
    fc.tuple(tie("set"), tie("int")).map(([s, b]): Node => ({ k: "fnDef", name: "q", set: s, body: b })),
  ),
}));

const small = fc.integer({ min: 0, max: 3 });
export const states = fc.record({
  x: small,
  s: fc.uniqueArray(small, { maxLength: 4 }).map((xs): Value => ({ kind: "set", elems: [...xs].sort() })),
  f: fc
    .array(small, { minLength: 3, maxLength: 3 })
    .map((vs): Value => ({ kind: "function", domain: [1, 2, 3], values: vs })),
});
