/**
 * Symmetry reduction: the model values of a symmetry set are interchangeable, so every state is
 * replaced by the least member of its orbit under all permutations of the set (least by interned
 * id vector, a fixed injective key, so every member of an orbit yields the same representative,
 * as with TLC's least-fingerprint representative). Distinct states then count orbits.
 */
import { functionOf, recordOf, setOf, tupleOf, type Value } from "../../models/index.js";
import type { ValueTable } from "./ValueTable.js";

export type Permutation = ReadonlyMap<string, string>;

/** All permutations of a set of model values (n! of them; symmetry sets are small). */
export function permutations(values: readonly string[]): Permutation[] {
  const out: Permutation[] = [];
  const walk = (rest: readonly string[], chosen: string[]): void => {
    if (rest.length === 0) {
      out.push(new Map(values.map((v, i) => [v, chosen[i] as string])));
      return;
    }
    for (const [i, r] of rest.entries()) walk([...rest.slice(0, i), ...rest.slice(i + 1)], [...chosen, r]);
  };
  walk(values, []);
  return out;
}

/** `v` with every model value renamed by `p`, re-canonicalised. */
export function permute(v: Value, p: Permutation): Value {
  if (typeof v === "string") return p.get(v) ?? v;
  if (typeof v !== "object") return v;
  switch (v.kind) {
    case "set":
      return setOf(v.elems.map((e) => permute(e, p)));
    case "tuple":
      return tupleOf(v.elems.map((e) => permute(e, p)));
    case "record":
      return recordOf(Object.fromEntries(v.names.map((n, i) => [n, permute(v.values[i] as Value, p)])));
    case "function":
      return functionOf(v.domain.map((d, i) => [permute(d, p), permute(v.values[i] as Value, p)] as const));
  }
}

/** Writes into `out` the least id vector among the permuted copies of `state`. */
export function canonical(
  state: readonly Value[],
  perms: readonly Permutation[],
  table: ValueTable,
  out: Int32Array,
): void {
  const candidate = new Int32Array(out.length);
  let first = true;
  for (const p of perms) {
    for (let i = 0; i < state.length; i++) candidate[i] = table.intern(permute(state[i] as Value, p));
    if (first || less(candidate, out)) {
      out.set(candidate);
      first = false;
    }
  }
}

function less(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  }
  return false;
}
