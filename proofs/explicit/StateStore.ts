/**
 * The set of distinct states: every state's id vector in an arena of fixed-size chunks, in
 * discovery (= breadth-first) order, with its parent, indexed by a 32-bit hash in an
 * open-addressing table. A hash hit is confirmed by comparing the stored vector, so no collision
 * can merge two states.
 *
 * The arena is what a search writes most, so it is kept small: chunks are never copied (doubling
 * one array moved every state twice over and faulted its pages in again), and while every id
 * fits in 16 bits (most models: ids number the distinct values met, not the states) a slot takes
 * two bytes; the first id that does not fit widens the arena to four once.
 */

import { avalanche, slotSum } from "./slotHash.js";

/** States per chunk (a power of two). */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;
/** The table's first size, as a power of two. */
const INITIAL_BITS = 12;

export class StateStore {
  /** Ids + 1 while all of them are in [-1, 65534]; then `wide` holds the ids themselves. */
  private narrow: Uint16Array[] = [];
  private wide: Int32Array[] | undefined;
  private readonly parents: Int32Array[] = [];
  /** Each state's `hash`, kept so that neither expanding it nor growing the table hashes it again. */
  private readonly sums: Int32Array[] = [];
  /**
   * Open addressing, one int a slot (0: empty, as a new array is): the state's index + 1 in the
   * low `indexBits` bits and the top bits of its hash above them, which filter probes before a
   * vector comparison; the hash's low bits are the home slot. The table has at least twice as
   * many slots as states, so `indexBits`, its size's log, always holds an index. Growing it
   * re-enters the kept hashes in index order.
   */
  private table: Int32Array;
  private mask: number;
  private indexBits = INITIAL_BITS;
  count = 0;
  private readonly stride: number;

  constructor(readonly width: number) {
    this.table = new Int32Array(1 << INITIAL_BITS);
    this.mask = (1 << INITIAL_BITS) - 1;
    this.stride = Math.max(1, width);
  }

  /** Approximate bytes held, for the memory bound. */
  get bytes(): number {
    const slotBytes = this.wide ? 4 : 2;
    return this.parents.length * CHUNK * (this.stride * slotBytes + 8) + this.table.byteLength;
  }

  /** Whether the last `add` stored a new state. */
  added = false;

  /** The hash `add` wants for `vec`: the sum of its slots' hashes (see `slotHash.ts`). */
  hash(vec: Int32Array): number {
    return slotSum(vec, this.width);
  }

  /**
   * Adds the first `width` slots of `vec` unless present; returns the index (`added`: whether
   * new). `sum` is `hash(vec)`, which the search updates from the parent's in the slots a step
   * changes instead of hashing every slot of every successor.
   */
  add(vec: Int32Array, parent: number, sum: number): number {
    // A hit is confirmed by comparing the stored vector, so the hash needs to spread states, not
    // to be collision-free.
    const h = avalanche(sum);
    const table = this.table;
    const bits = this.indexBits;
    const tag = (h >>> bits) << bits;
    const low = (1 << bits) - 1;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = table[slot] as number;
      if (entry === 0) {
        const index = this.append(vec, parent, sum);
        table[slot] = tag | (index + 1);
        if (this.count * 2 > this.mask) this.rehash();
        this.added = true;
        return index;
      }
      if (((entry ^ tag) & ~low) === 0 && this.equals((entry & low) - 1, vec)) {
        this.added = false;
        return (entry & low) - 1;
      }
    }
  }

  /** Copies state `index` into the first `width` slots of `out`. */
  read(index: number, out: Int32Array): void {
    const base = (index & IN_CHUNK) * this.stride;
    if (this.wide) {
      const chunk = this.wide[index >>> CHUNK_BITS] as Int32Array;
      for (let i = 0; i < this.width; i++) out[i] = chunk[base + i] as number;
    } else {
      const chunk = this.narrow[index >>> CHUNK_BITS] as Uint16Array;
      for (let i = 0; i < this.width; i++) out[i] = (chunk[base + i] as number) - 1;
    }
  }

  parent(index: number): number {
    return (this.parents[index >>> CHUNK_BITS] as Int32Array)[index & IN_CHUNK] as number;
  }

  /** `hash` of state `index`. */
  hashOf(index: number): number {
    return (this.sums[index >>> CHUNK_BITS] as Int32Array)[index & IN_CHUNK] as number;
  }

  private append(vec: Int32Array, parent: number, sum: number): number {
    const index = this.count;
    const at = index & IN_CHUNK;
    const c = index >>> CHUNK_BITS;
    if (at === 0) {
      this.parents.push(new Int32Array(CHUNK));
      this.sums.push(new Int32Array(CHUNK));
    }
    const base = at * this.stride;
    if (!this.wide) {
      if (at === 0) this.narrow.push(new Uint16Array(this.stride * CHUNK));
      const chunk = this.narrow[c] as Uint16Array;
      let i = 0;
      for (; i < this.width; i++) {
        const x = (vec[i] as number) + 1;
        if (x >>> 16 !== 0) break;
        chunk[base + i] = x;
      }
      if (i < this.width) this.widen();
    }
    if (this.wide) {
      if (this.wide.length === c) this.wide.push(new Int32Array(this.stride * CHUNK));
      const chunk = this.wide[c] as Int32Array;
      for (let i = 0; i < this.width; i++) chunk[base + i] = vec[i] as number;
    }
    (this.parents[c] as Int32Array)[at] = parent;
    (this.sums[c] as Int32Array)[at] = sum;
    this.count++;
    return index;
  }

  /** Moves the arena to four-byte slots (once, at the first id outside 16 bits). */
  private widen(): void {
    this.wide = this.narrow.map((chunk) => {
      const wide = new Int32Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) wide[i] = (chunk[i] as number) - 1;
      return wide;
    });
    this.narrow = [];
  }

  private equals(index: number, vec: Int32Array): boolean {
    const base = (index & IN_CHUNK) * this.stride;
    if (this.wide) {
      const chunk = this.wide[index >>> CHUNK_BITS] as Int32Array;
      for (let i = 0; i < this.width; i++) if (chunk[base + i] !== vec[i]) return false;
    } else {
      // An id outside 16 bits is never stored narrow, and never equals one that is.
      const chunk = this.narrow[index >>> CHUNK_BITS] as Uint16Array;
      for (let i = 0; i < this.width; i++) if (chunk[base + i] !== (vec[i] as number) + 1) return false;
    }
    return true;
  }

  /** Doubles the table and enters every state again, in index order, with one more index bit. */
  private rehash(): void {
    const bits = this.indexBits + 1;
    if (bits > 30) throw new RangeError("the checker's state table is full (2^29 states)");
    const table = new Int32Array(1 << bits);
    const mask = (1 << bits) - 1;
    for (let c = 0; c < this.sums.length; c++) {
      const sums = this.sums[c] as Int32Array;
      const first = c * CHUNK;
      const n = Math.min(CHUNK, this.count - first);
      for (let at = 0; at < n; at++) {
        const h = avalanche(sums[at] as number);
        let slot = h & mask;
        while ((table[slot] as number) !== 0) slot = (slot + 1) & mask;
        table[slot] = ((h >>> bits) << bits) | (first + at + 1);
      }
    }
    this.table = table;
    this.mask = mask;
    this.indexBits = bits;
  }
}
