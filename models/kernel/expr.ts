/**
 * The typed surface of the modelling language: `Ex<T>` wraps an expression node with the TLA+
 * type it denotes, so models read like TLA+ and the TypeScript compiler rejects ill-typed terms
 * (adding a set to a number, applying a non-function). The wrapper is erased to plain `Node`s.
 */
import type { Node, OpName } from "./ast.js";
import { setOf, type Value } from "./values.js";

/** Phantom types for composite TLA+ values. */
export interface SetT<T> {
  readonly __set: T;
}
export interface Fn<K, V> {
  readonly __fn: [K, V];
}
export interface Seq<T> {
  readonly __seq: T;
}

export class Ex<T> {
  declare readonly __type: T;
  constructor(readonly node: Node) {}

  eq(other: Ex<T> | Lit<T>): Ex<boolean> {
    return op("eq", this, toEx(other));
  }
  neq(other: Ex<T> | Lit<T>): Ex<boolean> {
    return op("neq", this, toEx(other));
  }
  in(set: Ex<SetT<T>>): Ex<boolean> {
    return op("in", this, set);
  }
  notIn(set: Ex<SetT<T>>): Ex<boolean> {
    return op("notin", this, set);
  }
}

/** JavaScript literals accepted where an expression is expected. */
export type Lit<T> = T extends boolean ? boolean : T extends number ? number : T extends string ? T : never;

function op<T>(name: OpName, ...args: readonly Ex<unknown>[]): Ex<T> {
  return new Ex<T>({ k: "op", op: name, args: args.map((a) => a.node) });
}

/** Lifts a JavaScript literal (or passes an expression through). */
export function toEx<T>(x: Ex<T> | Lit<T>): Ex<T> {
  return x instanceof Ex ? x : new Ex<T>({ k: "lit", value: x as Value });
}

/** A literal value. */
export const lit = <T extends boolean | number | string>(v: T): Ex<T> => new Ex<T>({ k: "lit", value: v });

/** A literal set of model values or numbers, e.g. the states a cell may be in. */
export const litSet = <T extends number | string>(values: readonly T[]): Ex<SetT<T>> =>
  new Ex<SetT<T>>({ k: "lit", value: setOf(values) });

export const TRUE = lit(true);
export const FALSE = lit(false);

// Logic
export const and = (...xs: Ex<boolean>[]): Ex<boolean> => (xs.length === 1 ? (xs[0] as Ex<boolean>) : op("and", ...xs));
export const or = (...xs: Ex<boolean>[]): Ex<boolean> => (xs.length === 1 ? (xs[0] as Ex<boolean>) : op("or", ...xs));
export const not = (x: Ex<boolean>): Ex<boolean> => op("not", x);
export const implies = (a: Ex<boolean>, b: Ex<boolean>): Ex<boolean> => op("implies", a, b);
export const eq = <T>(a: Ex<T>, b: Ex<T> | Lit<T>): Ex<boolean> => op("eq", a, toEx(b));
export const neq = <T>(a: Ex<T>, b: Ex<T> | Lit<T>): Ex<boolean> => op("neq", a, toEx(b));

// Arithmetic
type Num = Ex<number> | number;
const num = (x: Num): Ex<number> => toEx<number>(x);
export const plus = (a: Num, b: Num): Ex<number> => op("plus", num(a), num(b));
export const minus = (a: Num, b: Num): Ex<number> => op("minus", num(a), num(b));
export const times = (a: Num, b: Num): Ex<number> => op("times", num(a), num(b));
export const div = (a: Num, b: Num): Ex<number> => op("div", num(a), num(b));
export const mod = (a: Num, b: Num): Ex<number> => op("mod", num(a), num(b));
export const lt = (a: Num, b: Num): Ex<boolean> => op("lt", num(a), num(b));
export const le = (a: Num, b: Num): Ex<boolean> => op("le", num(a), num(b));
export const gt = (a: Num, b: Num): Ex<boolean> => op("gt", num(a), num(b));
export const ge = (a: Num, b: Num): Ex<boolean> => op("ge", num(a), num(b));
export const range = (a: Num, b: Num): Ex<SetT<number>> => op("range", num(a), num(b));

// Sets
export const setEnum = <T>(...xs: (Ex<T> | Lit<T>)[]): Ex<SetT<T>> => op("setEnum", ...xs.map((x) => toEx(x)));
export const union = <T>(a: Ex<SetT<T>>, b: Ex<SetT<T>>): Ex<SetT<T>> => op("union", a, b);
export const intersect = <T>(a: Ex<SetT<T>>, b: Ex<SetT<T>>): Ex<SetT<T>> => op("intersect", a, b);
export const setminus = <T>(a: Ex<SetT<T>>, b: Ex<SetT<T>>): Ex<SetT<T>> => op("setminus", a, b);
export const subseteq = <T>(a: Ex<SetT<T>>, b: Ex<SetT<T>>): Ex<boolean> => op("subseteq", a, b);
export const cardinality = <T>(s: Ex<SetT<T>>): Ex<number> => op("cardinality", s);
export const subsets = <T>(s: Ex<SetT<T>>): Ex<SetT<SetT<T>>> => op("subsets", s);
export const bigUnion = <T>(s: Ex<SetT<SetT<T>>>): Ex<SetT<T>> => op("bigUnion", s);
export const isIn = <T>(x: Ex<T> | Lit<T>, s: Ex<SetT<T>>): Ex<boolean> => op("in", toEx(x), s);
export const notIn = <T>(x: Ex<T> | Lit<T>, s: Ex<SetT<T>>): Ex<boolean> => op("notin", toEx(x), s);

// Binders. The callback receives the bound name as an expression; the name is printed in TLA+.
let fresh = 0;
const bind = <T>(hint: string): [string, Ex<T>] => {
  const name = `${hint}${fresh === 0 ? "" : fresh}`;
  return [name, new Ex<T>({ k: "bound", name })];
};
/** Names bound by binders are `hint`, unique within a model thanks to {@link resetBinderNames}. */
export const resetBinderNames = (): void => {
  fresh = 0;
};
function binder<T>(hint: string, body: (x: Ex<T>) => Ex<unknown>): [string, Node] {
  const [name, x] = bind<T>(hint);
  fresh++;
  return [name, body(x).node];
}

export function forall<T>(set: Ex<SetT<T>>, body: (x: Ex<T>) => Ex<boolean>, hint = "x"): Ex<boolean> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "forall", name, set: set.node, body: b });
}
export function exists<T>(set: Ex<SetT<T>>, body: (x: Ex<T>) => Ex<boolean>, hint = "x"): Ex<boolean> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "exists", name, set: set.node, body: b });
}
export function choose<T>(set: Ex<SetT<T>>, body: (x: Ex<T>) => Ex<boolean>, hint = "x"): Ex<T> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "choose", name, set: set.node, body: b });
}
export function setMap<T, U>(set: Ex<SetT<T>>, body: (x: Ex<T>) => Ex<U>, hint = "x"): Ex<SetT<U>> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "setMap", name, set: set.node, body: b });
}
export function setFilter<T>(set: Ex<SetT<T>>, body: (x: Ex<T>) => Ex<boolean>, hint = "x"): Ex<SetT<T>> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "setFilter", name, set: set.node, body: b });
}
export function fnDef<K, V>(domain: Ex<SetT<K>>, body: (x: Ex<K>) => Ex<V>, hint = "x"): Ex<Fn<K, V>> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "fnDef", name, set: domain.node, body: b });
}
export function letIn<T, U>(def: Ex<T>, body: (x: Ex<T>) => Ex<U>, hint = "v"): Ex<U> {
  const [name, b] = binder(hint, body);
  return new Ex({ k: "let", name, def: def.node, body: b });
}

// Functions, records, tuples, sequences
export const apply = <K, V>(f: Ex<Fn<K, V>>, x: Ex<K> | Lit<K>): Ex<V> =>
  new Ex({ k: "apply", fn: f.node, arg: toEx(x).node });
export const except = <K, V>(f: Ex<Fn<K, V>>, x: Ex<K> | Lit<K>, v: Ex<V> | Lit<V>): Ex<Fn<K, V>> =>
  new Ex({ k: "except", fn: f.node, arg: toEx(x).node, value: toEx(v).node });
export const domainOf = <K, V>(f: Ex<Fn<K, V>>): Ex<SetT<K>> => op("domain", f);
export const fnSet = <K, V>(d: Ex<SetT<K>>, r: Ex<SetT<V>>): Ex<SetT<Fn<K, V>>> =>
  new Ex({ k: "fnSet", domain: d.node, range: r.node });
/** A constant function `[x \in domain |-> value]`. */
export const constFn = <K, V>(domain: Ex<SetT<K>>, value: Ex<V> | Lit<V>): Ex<Fn<K, V>> =>
  fnDef(domain, () => toEx(value), "any");

/** A record `[f1 |-> e1, ...]`; the result type is stated by the caller. */
export function record<R>(fields: Readonly<Record<string, Ex<unknown>>>): Ex<R> {
  return new Ex({ k: "record", fields: Object.entries(fields).map(([n, e]) => [n, e.node] as const) });
}
export const field = <R, F extends keyof R & string>(r: Ex<R>, name: F): Ex<R[F]> =>
  new Ex({ k: "field", record: r.node, name });
export const tuple = (...xs: Ex<unknown>[]): Ex<unknown[]> => new Ex({ k: "tuple", elems: xs.map((x) => x.node) });
export const emptySeq = <T>(): Ex<Seq<T>> => new Ex({ k: "tuple", elems: [] });
export const len = <T>(s: Ex<Seq<T>>): Ex<number> => op("len", s);
export const append = <T>(s: Ex<Seq<T>>, x: Ex<T> | Lit<T>): Ex<Seq<T>> => op("append", s, toEx(x));
export const head = <T>(s: Ex<Seq<T>>): Ex<T> => op("head", s);
export const tail = <T>(s: Ex<Seq<T>>): Ex<Seq<T>> => op("tail", s);

// Control
export const ite = <T>(c: Ex<boolean>, t: Ex<T> | Lit<T>, e: Ex<T> | Lit<T>): Ex<T> =>
  new Ex({ k: "if", cond: c.node, ifTrue: toEx(t).node, ifFalse: toEx(e).node });
export function caseOf<T>(arms: readonly [Ex<boolean>, Ex<T> | Lit<T>][], other?: Ex<T> | Lit<T>): Ex<T> {
  const nodes = arms.map(([c, v]) => [c.node, toEx(v).node] as const);
  return new Ex(other === undefined ? { k: "case", arms: nodes } : { k: "case", arms: nodes, other: toEx(other).node });
}

/** TLA+'s BOOLEAN, the set {FALSE, TRUE}. */
export const BOOLEAN: Ex<SetT<boolean>> = new Ex({ k: "lit", value: setOf([false, true]) });
