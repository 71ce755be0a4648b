/**
 * The set of distinct states: every state's int vector in an arena of fixed-size chunks, in
 * discovery (= breadth-first) order, with its parent and the action that produced it, indexed by
 * a 32-bit hash in an open-addressing table. A hash hit is confirmed by comparing the stored
 * vector, so no collision can merge two states. Chunks are never copied: doubling one array
 * moved every state twice over and faulted in its pages again (a seventh of TwoPhase's time).
 */

/** States per chunk (a power of two). */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

export class StateStore {
  private readonly arena: Int32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private readonly actions: Int32Array[] = [];
  /**
   * Open addressing, two ints a slot: the state's index (-1: empty) and its hash, whose low bits
   * are the home slot and whose high bits filter probes before a vector comparison. Growing the
   * table reads the old one in order and writes the new one almost in order, touching no state.
   */
  private table: Int32Array;
  private mask: number;
  count = 0;

  constructor(readonly width: number) {
    this.table = new Int32Array(4096 * 2).fill(-1);
    this.mask = 4095;
  }

  /** Approximate bytes held, for the memory bound. */
  get bytes(): number {
    return this.arena.length * CHUNK * (Math.max(1, this.width) + 2) * 4 + this.table.byteLength;
  }

  /** Whether the last `add` stored a new state. */
  added = false;

  /** Adds the first `width` slots of `vec` unless present; returns the index (`added`: whether new). */
  add(vec: Int32Array, parent: number, action: number): number {
    // One multiply chain, finished by a murmur3-style avalanche. A hit is confirmed by comparing
    // the stored vector, so the hash needs to spread states, not to be collision-free.
    let h = 0x9747b28c;
    const width = this.width;
    for (let i = 0; i < width; i++) h = Math.imul(h ^ (vec[i] as number), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const table = this.table;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = table[slot * 2] as number;
      if (at < 0) {
        const index = this.append(vec, parent, action);
        table[slot * 2] = index;
        table[slot * 2 + 1] = h;
        if (this.count * 2 > this.mask) this.rehash();
        this.added = true;
        return index;
      }
      if (table[slot * 2 + 1] === h && this.equals(at, vec)) {
        this.added = false;
        return at;
      }
    }
  }

  /** Copies state `index` into the first `width` slots of `out`. */
  read(index: number, out: Int32Array): void {
    const chunk = this.arena[index >>> CHUNK_BITS] as Int32Array;
    const base = (index & IN_CHUNK) * this.width;
    for (let i = 0; i < this.width; i++) out[i] = chunk[base + i] as number;
  }

  parent(index: number): number {
    return (this.parents[index >>> CHUNK_BITS] as Int32Array)[index & IN_CHUNK] as number;
  }
  action(index: number): number {
    return (this.actions[index >>> CHUNK_BITS] as Int32Array)[index & IN_CHUNK] as number;
  }

  private append(vec: Int32Array, parent: number, action: number): number {
    const index = this.count++;
    const at = index & IN_CHUNK;
    if (at === 0) {
      this.arena.push(new Int32Array(Math.max(1, this.width) * CHUNK));
      this.parents.push(new Int32Array(CHUNK));
      this.actions.push(new Int32Array(CHUNK));
    }
    const c = index >>> CHUNK_BITS;
    const chunk = this.arena[c] as Int32Array;
    const base = at * this.width;
    for (let i = 0; i < this.width; i++) chunk[base + i] = vec[i] as number;
    (this.parents[c] as Int32Array)[at] = parent;
    (this.actions[c] as Int32Array)[at] = action;
    return index;
  }

  private equals(index: number, vec: Int32Array): boolean {
    const chunk = this.arena[index >>> CHUNK_BITS] as Int32Array;
    const base = (index & IN_CHUNK) * this.width;
    for (let i = 0; i < this.width; i++) if (chunk[base + i] !== vec[i]) return false;
    return true;
  }

  private rehash(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
    for (let at = 0; at < old.length; at += 2) {
      const index = old[at] as number;
      if (index < 0) continue;
      const h = old[at + 1] as number;
      let slot = h & this.mask;
      while ((this.table[slot * 2] as number) >= 0) slot = (slot + 1) & this.mask;
      this.table[slot * 2] = index;
      this.table[slot * 2 + 1] = h;
    }
  }
}
