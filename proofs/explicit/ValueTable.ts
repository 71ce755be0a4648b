/**
 * Interns values to small integers, so a state is a vector of ints. A composite value is keyed by
 * its kind and the ids of its parts (hash-consing), so the key of a set of records is a short
 * list of numbers, not the records' text; equal values get equal ids because values are canonical.
 */
import type { Value } from "../../models/index.js";

export class ValueTable {
  private readonly numbers = new Map<number, number>();
  private readonly strings = new Map<string, number>();
  private readonly composites = new Map<string, number>();
  /** Ids of value objects already seen, so a value carried over from a state costs no lookup. */
  private readonly objectIds = new WeakMap<object, number>();
  /** Keys of shared part lists (a function's domain survives EXCEPT unchanged). */
  private readonly listKeys = new WeakMap<readonly Value[], string>();
  private readonly booleans: [number, number];
  readonly values: Value[] = [];

  constructor() {
    this.booleans = [this.fresh(false), this.fresh(true)];
  }

  private fresh(v: Value): number {
    this.values.push(v);
    return this.values.length - 1;
  }

  /** The id of `v`, allocating one on first sight. */
  intern(v: Value): number {
    if (typeof v === "boolean") return this.booleans[v ? 1 : 0];
    if (typeof v === "number") return this.lookup(this.numbers, v, v);
    if (typeof v === "string") return this.lookup(this.strings, v, v);
    const known = this.objectIds.get(v);
    if (known !== undefined) return known;
    let key: string;
    switch (v.kind) {
      case "set":
        key = `s${this.ids(v.elems)}`;
        break;
      case "tuple":
        key = `t${this.ids(v.elems)}`;
        break;
      case "record":
        key = `r${v.names.join(",")}|${this.ids(v.values)}`;
        break;
      case "function":
        key = `f${this.sharedIds(v.domain)}|${this.ids(v.values)}`;
        break;
    }
    const id = this.lookup(this.composites, key, v);
    this.objectIds.set(v, id);
    return id;
  }

  private ids(parts: readonly Value[]): string {
    let out = "";
    for (const p of parts) out += `${this.intern(p)},`;
    return out;
  }

  private sharedIds(parts: readonly Value[]): string {
    let key = this.listKeys.get(parts);
    if (key === undefined) {
      key = this.ids(parts);
      this.listKeys.set(parts, key);
    }
    return key;
  }

  private lookup<K>(map: Map<K, number>, key: K, v: Value): number {
    let id = map.get(key);
    if (id === undefined) {
      id = this.fresh(v);
      map.set(key, id);
    }
    return id;
  }
}
