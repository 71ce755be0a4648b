/**
 * TLA+ values as the kernel represents them. Every composite value is canonical (sets sorted and
 * duplicate-free, record fields sorted, function domains sorted), so structural equality is key
 * equality and each value has exactly one interned id in a {@link ValueTable}.
 */

/** A model value (TLA+ `CONSTANT` element, e.g. a cell name) is a string; integers are numbers. */
export type Value = boolean | number | string | SetValue | TupleValue | RecordValue | FunctionValue;

export interface SetValue {
  readonly kind: "set";
  readonly elems: readonly Value[];
}
/** Tuples and sequences (TLA+ identifies them: a sequence is a tuple of any length). */
export interface TupleValue {
  readonly kind: "tuple";
  readonly elems: readonly Value[];
}
export interface RecordValue {
  readonly kind: "record";
  readonly names: readonly string[];
  readonly values: readonly Value[];
}
/** A function over a finite domain: `values[i]` is the image of `domain[i]`. */
export interface FunctionValue {
  readonly kind: "function";
  readonly domain: readonly Value[];
  readonly values: readonly Value[];
}

const rank = (v: Value): number =>
  typeof v === "boolean" ? 0 : typeof v === "number" ? 1 : typeof v === "string" ? 2 : kindRank[v.kind];
const kindRank = { set: 3, tuple: 4, record: 5, function: 6 } as const;

/** Total order on values: booleans < integers < model values < sets < tuples < records < functions. */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "boolean") return Number(a) - Number(b as boolean);
  if (typeof a === "number") return a - (b as number);
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const x = a as Exclude<Value, boolean | number | string>;
  const y = b as typeof x;
  if (x.kind === "record" && y.kind === "record") {
    return compareLists(x.names, y.names) || compareLists(x.values, y.values);
  }
  if (x.kind === "function" && y.kind === "function") {
    return compareLists(x.domain, y.domain) || compareLists(x.values, y.values);
  }
  return compareLists((x as SetValue).elems, (y as SetValue).elems);
}

function compareLists(a: readonly Value[], b: readonly Value[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i] as Value, b[i] as Value);
    if (c !== 0) return c;
  }
  return 0;
}

export const valuesEqual = (a: Value, b: Value): boolean => a === b || compareValues(a, b) === 0;

/** Builds a canonical set from any list of values. */
export function setOf(elems: readonly Value[]): SetValue {
  const sorted = [...elems].sort(compareValues);
  const unique = sorted.filter((v, i) => i === 0 || compareValues(sorted[i - 1] as Value, v) !== 0);
  return { kind: "set", elems: unique };
}

export const tupleOf = (elems: readonly Value[]): TupleValue => ({ kind: "tuple", elems });

export function recordOf(fields: Readonly<Record<string, Value>>): RecordValue {
  const names = Object.keys(fields).sort();
  return { kind: "record", names, values: names.map((n) => fields[n] as Value) };
}

/** Builds a function from (argument, image) pairs; later pairs win for equal arguments. */
export function functionOf(pairs: readonly (readonly [Value, Value])[]): FunctionValue {
  const sorted = [...pairs].sort((p, q) => compareValues(p[0], q[0]));
  const domain: Value[] = [];
  const values: Value[] = [];
  for (const [k, v] of sorted) {
    if (domain.length > 0 && valuesEqual(domain[domain.length - 1] as Value, k)) values[values.length - 1] = v;
    else {
      domain.push(k);
      values.push(v);
    }
  }
  return { kind: "function", domain, values };
}

/** Index of `x` in a sorted list, or -1. */
export function indexInSorted(list: readonly Value[], x: Value): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareValues(list[mid] as Value, x);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** TLA+ rendering of a value (used for traces, TLA+ emission and messages). */
export function showValue(v: Value): string {
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  switch (v.kind) {
    case "set":
      return `{${v.elems.map(showValue).join(", ")}}`;
    case "tuple":
      return `<<${v.elems.map(showValue).join(", ")}>>`;
    case "record":
      return `[${v.names.map((n, i) => `${n} |-> ${showValue(v.values[i] as Value)}`).join(", ")}]`;
    case "function":
      return v.domain.length === 0
        ? "<<>>"
        : `(${v.domain.map((d, i) => `${showValue(d)} :> ${showValue(v.values[i] as Value)}`).join(" @@ ")})`;
  }
}
