/**
 * Interns values to small integers, so a state is a vector of ints. A composite value is keyed by
 * its kind and the ids of its parts (hash-consing), so the key of a set of records is a short
 * list of numbers, not the records' text; equal values get equal ids because values are canonical.
 */
import { showValue, type Value } from "../../models/index.js";
import { ModelEvalError } from "./compile.js";

/** Ids of FALSE and TRUE: interned first, so a Boolean id is its truth value. */
export const FALSE = 0;
export const TRUE = 1;

/** A function as ids: `images[positions[x] - 1]` is its value at argument id x (position 0: not in the domain). */
export interface FunctionView {
  readonly images: Int32Array;
  readonly positions: Int32Array;
}

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
  /** Element ids of the sets met so far, by set id. */
  private readonly elemIds: (Int32Array | undefined)[] = [];
  /** Image ids of the functions applied so far, by function id (`null`: not a function). */
  private readonly views: (FunctionView | null | undefined)[] = [];
  /** Argument positions by domain, shared by the functions built from one another by EXCEPT. */
  private readonly positions = new WeakMap<readonly Value[], Int32Array>();

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

  /** The ids of the elements of set `id`, in the set's canonical order. */
  elems(id: number): Int32Array {
    const known = this.elemIds[id];
    if (known) return known;
    const v = this.values[id] as Value;
    if (typeof v !== "object" || v.kind !== "set") throw new ModelEvalError(`expected a set, got ${showValue(v)}`);
    const ids = Int32Array.from(v.elems, (e) => this.intern(e));
    while (this.elemIds.length <= id) this.elemIds.push(undefined);
    this.elemIds[id] = ids;
    return ids;
  }

  /** Images and argument positions of function `id`, or null when it is not a function. */
  view(id: number): FunctionView | null {
    const known = this.views[id];
    if (known !== undefined) return known;
    const v = this.values[id] as Value;
    let view: FunctionView | null = null;
    if (typeof v === "object" && v.kind === "function") {
      let positions = this.positions.get(v.domain);
      if (!positions) {
        const args = v.domain.map((d) => this.intern(d));
        positions = new Int32Array(Math.max(0, ...args) + 1);
        args.forEach((a, i) => {
          (positions as Int32Array)[a] = i + 1;
        });
        this.positions.set(v.domain, positions);
      }
      view = { images: Int32Array.from(v.values, (x) => this.intern(x)), positions };
    }
    while (this.views.length <= id) this.views.push(undefined);
    this.views[id] = view;
    return view;
  }

  /** `id` as a Boolean, the way TLC requires one. */
  truth(id: number): boolean {
    if (id === TRUE) return true;
    if (id === FALSE) return false;
    throw new ModelEvalError(`expected a Boolean, got ${showValue(this.values[id] as Value)}`);
  }

  /** `id` as an integer. */
  int(id: number): number {
    const v = this.values[id];
    if (typeof v !== "number") throw new ModelEvalError(`expected an integer, got ${showValue(v as Value)}`);
    return v;
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
