/**
 * Symbolic values for fixed parameters: a kernel value where everything is known, or a tree
 * whose leaves are SMT-LIB terms (Bool for booleans, Int for integers and model values). Sets
 * range over a universe of known elements, one membership formula per element; functions have a
 * known domain. Every operation folds to a plain value when its inputs are plain, so closed
 * sub-expressions never reach the solver.
 */
import {
  type FunctionValue,
  functionOf,
  type RecordValue,
  recordOf,
  type SetValue,
  setOf,
  type TupleValue,
  tupleOf,
  type Value,
  valuesEqual,
} from "../../models/index.js";

/** A formula: a known truth value or an SMT-LIB Bool term. */
export type B = boolean | string;

export interface SBool {
  readonly t: "bool";
  readonly e: string;
}
/** An Int term; `dom`, when known, lists every value it can take. */
export interface SAtom {
  readonly t: "atom";
  readonly e: string;
  readonly dom?: readonly Value[];
}
export interface SSet {
  readonly t: "set";
  readonly elems: readonly (readonly [Value, B])[];
}
export interface SFn {
  readonly t: "fn";
  readonly dom: readonly Value[];
  readonly vals: readonly Sym[];
}
/** Field names sorted, as in {@link RecordValue}. */
export interface SRec {
  readonly t: "rec";
  readonly names: readonly string[];
  readonly vals: readonly Sym[];
}
export interface STup {
  readonly t: "tup";
  readonly elems: readonly Sym[];
}

export type Sym = Value | SBool | SAtom | SSet | SFn | SRec | STup;
type Structured = SBool | SAtom | SSet | SFn | SRec | STup;

/** A construct the encoder does not translate (reported as a usage error, never as a verdict). */
export class EncodingError extends Error {}

export const isSym = (x: Sym): x is Structured => typeof x === "object" && "t" in x;

/** Model values are Int codes above every integer the models use, so they never equal a number. */
export const stringBase = 1_000_000;

/** Assigns each model value its Int code; shared by a whole encoding so decoding can invert it. */
export class StringCodes {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  code(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return stringBase + i;
  }
  /** The value an Int of the model denotes. */
  decode(n: number): number | string {
    const s = n >= stringBase ? this.list[n - stringBase] : undefined;
    return s ?? n;
  }
}

export const intLit = (n: number): string => (n >= 0 ? String(n) : `(- ${-n})`);

export function atomTerm(v: number | string, codes: StringCodes): string {
  return typeof v === "number" ? intLit(v) : String(codes.code(v));
}

// ---- formulas ----

export function bAnd(xs: readonly B[]): B {
  const terms: string[] = [];
  for (const x of xs) {
    if (x === false) return false;
    if (x !== true && !terms.includes(x)) terms.push(x);
  }
  return terms.length === 0 ? true : terms.length === 1 ? (terms[0] as string) : `(and ${terms.join(" ")})`;
}

export function bOr(xs: readonly B[]): B {
  const terms: string[] = [];
  for (const x of xs) {
    if (x === true) return true;
    if (x !== false && !terms.includes(x)) terms.push(x);
  }
  return terms.length === 0 ? false : terms.length === 1 ? (terms[0] as string) : `(or ${terms.join(" ")})`;
}

export const bNot = (x: B): B => (typeof x === "boolean" ? !x : `(not ${x})`);

export function bIff(a: B, b: B): B {
  if (typeof a === "boolean" && typeof b === "boolean") return a === b;
  if (a === b) return true;
  if (a === true) return b;
  if (b === true) return a;
  if (a === false) return bNot(b);
  if (b === false) return bNot(a);
  return `(= ${a} ${b})`;
}

export function bIte(c: B, a: B, b: B): B {
  if (c === true) return a;
  if (c === false) return b;
  if (a === b) return a;
  if (a === true) return bOr([c, b]);
  if (a === false) return bAnd([bNot(c), b]);
  if (b === true) return bOr([bNot(c), a]);
  if (b === false) return bAnd([c, a]);
  return `(ite ${c} ${a} ${b})`;
}

export const bTerm = (x: B): string => (x === true ? "true" : x === false ? "false" : x);

/** A formula as a symbolic value. */
export const fromB = (x: B): Sym => (typeof x === "boolean" ? x : { t: "bool", e: x });

/** A symbolic value as a formula; anything but a boolean is a type error in the model. */
export function toB(x: Sym): B {
  if (typeof x === "boolean") return x;
  if (isSym(x) && x.t === "bool") return x.e;
  throw new EncodingError(`expected a boolean, got ${describe(x)}`);
}

// ---- views ----

const key = (v: Value): string => JSON.stringify(v);

type Kind = "bool" | "atom" | "set" | "fn" | "rec" | "tup";

export function kindOf(x: Sym): Kind {
  if (isSym(x)) return x.t;
  if (typeof x === "boolean") return "bool";
  if (typeof x === "number" || typeof x === "string") return "atom";
  return ({ set: "set", function: "fn", record: "rec", tuple: "tup" } as const)[x.kind];
}

export function describe(x: Sym): string {
  return isSym(x) ? `a symbolic ${x.t}` : `the value ${JSON.stringify(x)}`;
}

/** Elements with their membership formulas. */
export function setView(x: Sym): readonly (readonly [Value, B])[] {
  if (isSym(x)) {
    if (x.t === "set") return x.elems;
  } else if (typeof x === "object" && x.kind === "set") return x.elems.map((e) => [e, true] as const);
  throw new EncodingError(`expected a set, got ${describe(x)}`);
}

/** The elements of a set known without the solver (every membership decided). */
export function concreteElems(x: Sym, what: string): readonly Value[] {
  const view = setView(x);
  if (view.some(([, m]) => typeof m !== "boolean")) throw new EncodingError(`${what} must not depend on the state`);
  return view.filter(([, m]) => m === true).map(([v]) => v);
}

/** Domain and images of anything applicable: functions, records (by field name), tuples (1..n). */
export function fnView(x: Sym): { dom: readonly Value[]; vals: readonly Sym[] } {
  if (isSym(x)) {
    if (x.t === "fn") return x;
    if (x.t === "rec") return { dom: x.names, vals: x.vals };
    if (x.t === "tup") return { dom: x.elems.map((_, i) => i + 1), vals: x.elems };
  } else if (typeof x === "object") {
    if (x.kind === "function") return { dom: x.domain, vals: x.values };
    if (x.kind === "record") return { dom: x.names, vals: x.values };
    if (x.kind === "tuple") return { dom: x.elems.map((_, i) => i + 1), vals: x.elems };
  }
  throw new EncodingError(`expected a function, record or tuple, got ${describe(x)}`);
}

/** An Int term for an integer or model value. */
export function atomOf(x: Sym, codes: StringCodes): SAtom {
  if (typeof x === "number" || typeof x === "string") return { t: "atom", e: atomTerm(x, codes), dom: [x] };
  if (isSym(x) && x.t === "atom") return x;
  throw new EncodingError(`expected an integer or model value, got ${describe(x)}`);
}

// ---- constructors that fold back to values ----

export function mkSet(elems: Iterable<readonly [Value, B]>): Sym {
  const byKey = new Map<string, [Value, B]>();
  for (const [v, m] of elems) {
    const k = key(v);
    const prev = byKey.get(k);
    byKey.set(k, [v, prev ? bOr([prev[1], m]) : m]);
  }
  const list = [...byKey.values()].filter(([, m]) => m !== false);
  if (list.every(([, m]) => m === true)) return setOf(list.map(([v]) => v));
  return { t: "set", elems: list };
}

export function mkFn(dom: readonly Value[], vals: readonly Sym[]): Sym {
  if (vals.every((v) => !isSym(v))) return functionOf(dom.map((d, i) => [d, vals[i] as Value]));
  return { t: "fn", dom, vals };
}

export function mkRec(fields: readonly (readonly [string, Sym])[]): Sym {
  const sorted = [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (sorted.every(([, v]) => !isSym(v))) return recordOf(Object.fromEntries(sorted) as Record<string, Value>);
  return { t: "rec", names: sorted.map(([n]) => n), vals: sorted.map(([, v]) => v) };
}

export function mkTup(elems: readonly Sym[]): Sym {
  if (elems.every((v) => !isSym(v))) return tupleOf(elems as Value[]);
  return { t: "tup", elems };
}

/** Rebuilds a value of the same kind as `like` from new parts. */
function rebuild(like: Sym, dom: readonly Value[], vals: readonly Sym[]): Sym {
  const k = kindOf(like);
  if (k === "rec") return mkRec(dom.map((d, i) => [d as string, vals[i] as Sym]));
  if (k === "tup") return mkTup(vals);
  return mkFn(dom, vals);
}

// ---- equality and choice ----

export function eqSym(a: Sym, b: Sym, codes: StringCodes): B {
  if (!isSym(a) && !isSym(b)) return valuesEqual(a, b);
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case "bool":
      return bIff(toB(a), toB(b));
    case "atom": {
      const x = atomOf(a, codes);
      const y = atomOf(b, codes);
      if (!isSym(a) && y.dom && !y.dom.some((d) => valuesEqual(d, a))) return false;
      if (!isSym(b) && x.dom && !x.dom.some((d) => valuesEqual(d, b))) return false;
      return x.e === y.e ? true : `(= ${x.e} ${y.e})`;
    }
    case "set": {
      const ma = new Map(setView(a).map(([v, m]) => [key(v), m]));
      const mb = new Map(setView(b).map(([v, m]) => [key(v), m]));
      const keys = new Set([...ma.keys(), ...mb.keys()]);
      return bAnd([...keys].map((k) => bIff(ma.get(k) ?? false, mb.get(k) ?? false)));
    }
    default: {
      const fa = fnView(a);
      const fb = fnView(b);
      if (fa.dom.length !== fb.dom.length || fa.dom.some((d, i) => !valuesEqual(d, fb.dom[i] as Value))) return false;
      return bAnd(fa.vals.map((v, i) => eqSym(v, fb.vals[i] as Sym, codes)));
    }
  }
}

/** `IF c THEN a ELSE b` for values of the same shape. */
export function iteSym(c: B, a: Sym, b: Sym, codes: StringCodes): Sym {
  if (c === true) return a;
  if (c === false) return b;
  if (!isSym(a) && !isSym(b) && valuesEqual(a, b)) return a;
  const k = kindOf(a);
  if (k !== kindOf(b)) throw new EncodingError(`IF/CASE arms of different kinds (${k}, ${kindOf(b)})`);
  switch (k) {
    case "bool":
      return fromB(bIte(c, toB(a), toB(b)));
    case "atom": {
      const x = atomOf(a, codes);
      const y = atomOf(b, codes);
      const dom =
        x.dom && y.dom ? [...x.dom, ...y.dom.filter((d) => !x.dom?.some((e) => valuesEqual(d, e)))] : undefined;
      return { t: "atom", e: x.e === y.e ? x.e : `(ite ${c} ${x.e} ${y.e})`, ...(dom ? { dom } : {}) };
    }
    case "set": {
      const mb = new Map(setView(b).map(([v, m]) => [key(v), [v, m] as const]));
      const out: [Value, B][] = [];
      for (const [v, m] of setView(a)) {
        out.push([v, bIte(c, m, mb.get(key(v))?.[1] ?? false)]);
        mb.delete(key(v));
      }
      for (const [v, m] of mb.values()) out.push([v, bIte(c, false, m)]);
      return mkSet(out);
    }
    default: {
      const fa = fnView(a);
      const fb = fnView(b);
      if (fa.dom.length !== fb.dom.length || fa.dom.some((d, i) => !valuesEqual(d, fb.dom[i] as Value))) {
        throw new EncodingError("IF/CASE arms are functions or records over different domains");
      }
      return rebuild(
        a,
        fa.dom,
        fa.vals.map((v, i) => iteSym(c, v, fb.vals[i] as Sym, codes)),
      );
    }
  }
}

/** `f[x]`; a symbolic argument becomes a choice over the domain. */
export function applySym(f: Sym, x: Sym, codes: StringCodes): Sym {
  const { dom, vals } = fnView(f);
  if (!isSym(x)) {
    const i = dom.findIndex((d) => valuesEqual(d, x));
    if (i >= 0) return vals[i] as Sym;
    // Outside the domain TLA+ leaves f[x] unspecified and TLC stops with an error. Such an
    // application is typically under a symbolic guard that excludes it, so any image will do;
    // where the guard does not exclude it, the explicit checker reports the evaluation error.
    if (vals.length > 0) return vals[0] as Sym;
    throw new EncodingError(`function with an empty domain applied to ${JSON.stringify(x)}`);
  }
  if (dom.length === 0) throw new EncodingError("function with an empty domain applied");
  // The first image doubles as the value outside the domain, as for a known argument above.
  let acc = vals[0] as Sym;
  for (let i = dom.length - 1; i >= 1; i--) acc = iteSym(eqSym(x, dom[i] as Value, codes), vals[i] as Sym, acc, codes);
  return acc;
}

/** `[f EXCEPT ![x] = y]`. */
export function exceptSym(f: Sym, x: Sym, y: Sym, codes: StringCodes): Sym {
  const { dom, vals } = fnView(f);
  return rebuild(
    f,
    dom,
    vals.map((v, i) => iteSym(eqSym(x, dom[i] as Value, codes), y, v, codes)),
  );
}

/** `x \in S` for a set value. */
export function inSym(x: Sym, s: Sym, codes: StringCodes): B {
  const view = setView(s);
  if (!isSym(x)) {
    const k = key(x);
    return view.find(([v]) => key(v) === k)?.[1] ?? false;
  }
  if (x.t === "rec" && view.length > 8 && view.every(([v, m]) => m === true && isRecordNamed(v, x.names))) {
    const product = asProduct(
      view.map(([v]) => v as RecordValue),
      x.names.length,
    );
    if (product) return bAnd(x.vals.map((f, i) => inSym(f, setOf(product[i] as Value[]), codes)));
  }
  if (x.t === "atom" && x.dom) {
    const inView = new Map(view.map(([v, m]) => [key(v), m]));
    return bOr(x.dom.map((d) => bAnd([inView.get(key(d)) ?? false, eqSym(x, d, codes)])));
  }
  return bOr(view.map(([v, m]) => bAnd([m, eqSym(x, v, codes)])));
}

const isRecordNamed = (v: Value, names: readonly string[]): boolean =>
  typeof v === "object" &&
  v.kind === "record" &&
  v.names.length === names.length &&
  v.names.every((n, i) => n === names[i]);

/** The field projections of a set of records, if the set is exactly their product. */
function asProduct(records: readonly RecordValue[], width: number): Value[][] | undefined {
  const columns = Array.from({ length: width }, (_, i) => setOf(records.map((r) => r.values[i] as Value)).elems);
  const size = columns.reduce((n, c) => n * c.length, 1);
  return size === setOf(records).elems.length ? columns.map((c) => [...c]) : undefined;
}

export type { FunctionValue, SetValue, TupleValue };

export const bImpliesOf = (a: B, b: B): B => bOr([bNot(a), b]);
