/**
 * Where each state variable lives in a state vector. A variable whose type is `[D -> R]` with a
 * constant domain D is flat: one slot per argument, holding the id of its image, so `f[x]` is a
 * slot read and `[f EXCEPT ![x] = y]` a slot write, with no table lookup. The id of a flat
 * variable's whole value is composed on demand and cached in a slot past the stored part (reset to
 * -1 whenever a slot of the variable changes); only the first `width` slots are stored and hashed.
 */
import type { FunctionValue, Node, Value } from "../../models/index.js";
import { Memo1, MemoN, MISS as MISS_ID } from "./IdMemo.js";
import type { FunctionView, ValueTable } from "./ValueTable.js";

// A module-local copy: under tsx's transform every use of an imported binding is a getter call.
const MISS = MISS_ID;

/** A value that does not fit a flat variable's shape (e.g. a function on another domain). */
export class FlatShapeError extends Error {}

export interface FlatVar {
  /** First slot. */
  readonly base: number;
  readonly size: number;
  /** Slot of the cached whole-value id. */
  readonly cache: number;
  readonly domain: readonly Value[];
  /** Position + 1 of each argument id in the domain (0: not in it). */
  readonly positions: Int32Array;
  readonly wholes: MemoN;
  /** Per value id: 1 when it is a function on this domain, 0 when not. */
  readonly fits: Memo1;
}

export class Layout {
  /** First slot of each variable. */
  readonly base: readonly number[];
  /** The flat variables' shapes, by variable index. */
  readonly flat: readonly (FlatVar | undefined)[];
  /** Stored slots. */
  readonly width: number;
  /** Stored slots plus one cache slot per flat variable. */
  readonly length: number;

  constructor(
    private readonly table: ValueTable,
    domains: readonly (readonly Value[] | undefined)[],
  ) {
    const base: number[] = [];
    let width = 0;
    for (const d of domains) {
      base.push(width);
      width += d ? d.length : 1;
    }
    let cache = width;
    this.flat = domains.map((d, i) => {
      if (!d) return undefined;
      const ids = d.map((x) => table.intern(x));
      const positions = new Int32Array(Math.max(0, ...ids) + 1);
      ids.forEach((id, p) => {
        positions[id] = p + 1;
      });
      return {
        base: base[i] as number,
        size: d.length,
        cache: cache++,
        domain: d,
        positions,
        wholes: new MemoN(d.length),
        fits: new Memo1(),
      };
    });
    this.base = base;
    this.width = width;
    this.length = cache;
  }

  /** Marks every cached whole value of `vec` unknown (after its slots were loaded). */
  reset(vec: Int32Array): void {
    // A loop, not `fill`: there are a few cache slots, and a builtin call costs more than they do.
    for (let i = this.width; i < this.length; i++) vec[i] = MISS;
  }

  /** The id of variable `i`'s value in `vec`. */
  whole(vec: Int32Array, i: number): number {
    const f = this.flat[i];
    if (!f) return vec[this.base[i] as number] as number;
    const cached = vec[f.cache] as number;
    return cached !== MISS ? cached : this.compose(vec, f);
  }

  private compose(vec: Int32Array, f: FlatVar): number {
    const key = vec.subarray(f.base, f.base + f.size);
    let id = f.wholes.get(key);
    if (id === MISS) {
      const value: FunctionValue = {
        kind: "function",
        domain: f.domain,
        values: Array.from(key, (x) => this.table.values[x] as Value),
      };
      id = this.table.intern(value);
      f.wholes.set(key, id);
    }
    vec[f.cache] = id;
    return id;
  }

  /** Stores value `id` as variable `i` of `vec`. */
  write(vec: Int32Array, i: number, id: number): void {
    const f = this.flat[i];
    if (!f) {
      vec[this.base[i] as number] = id;
      return;
    }
    let fits = f.fits.get(id);
    if (fits === MISS) {
      const view = this.table.view(id);
      fits = view !== null && view.images.length === f.size && this.sameDomain(id, f) ? 1 : 0;
      f.fits.set(id, fits);
    }
    if (fits === 0) throw new FlatShapeError("a value of a flat variable is not a function on its domain");
    vec.set((this.table.view(id) as FunctionView).images, f.base);
    vec[f.cache] = id;
  }

  private sameDomain(id: number, f: FlatVar): boolean {
    const domain = (this.table.values[id] as FunctionValue).domain;
    if (domain === f.domain) return true;
    for (let p = 0; p < f.size; p++) {
      const x = this.table.intern(domain[p] as Value);
      if (x >= f.positions.length || f.positions[x] !== p + 1) return false;
    }
    return true;
  }

  /** Variable `i` of `vec` as a value. */
  value(vec: Int32Array, i: number): Value {
    return this.table.values[this.whole(vec, i)] as Value;
  }
}

/** The constant domain D of a variable typed `[D -> R]`, when D folds to a set; else undefined. */
export function flatDomain(type: Node, evaluate: (node: Node) => Value | undefined): readonly Value[] | undefined {
  if (type.k !== "fnSet") return undefined;
  const d = evaluate(type.domain);
  return typeof d === "object" && d.kind === "set" && d.elems.length > 0 ? d.elems : undefined;
}
