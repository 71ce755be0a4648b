/**
 * Symmetry reduction: the model values of a symmetry set are interchangeable, so every state is
 * replaced by the least member of its orbit under all permutations of the set (least by interned
 * id vector, a fixed injective key, so every member of an orbit yields the same representative,
 * as with TLC's least-fingerprint representative). Distinct states then count orbits.
 */
import { functionOf, recordOf, setOf, tupleOf, type Value } from "../../models/index.js";
import { Memo1, MISS } from "./IdMemo.js";
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

/** A permutation acting on value ids, memoised per id. */
export class IdPermutation {
  private readonly memo = new Memo1();

  constructor(
    private readonly p: Permutation,
    private readonly table: ValueTable,
  ) {}

  apply(id: number): number {
    const known = this.memo.get(id);
    if (known !== MISS) return known;
    const image = this.table.intern(permute(this.table.values[id] as Value, this.p));
    this.memo.set(id, image);
    return image;
  }
}

/** Writes into `out` the least id vector among the permuted copies of `state`. */
export function canonical(
  state: Int32Array,
  perms: readonly IdPermutation[],
  out: Int32Array,
  scratch: Int32Array,
): void {
  let first = true;
  for (const p of perms) {
    for (let i = 0; i < state.length; i++) scratch[i] = p.apply(state[i] as number);
    if (first || less(scratch, out)) {
      out.set(scratch);
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
