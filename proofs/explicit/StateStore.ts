/**
 * The set of distinct states: every state's int vector in one growable arena, in discovery
 * (= breadth-first) order, with its parent and the action that produced it, indexed by a 64-bit
 * fingerprint (two independent 32-bit hashes) in an open-addressing table. A fingerprint hit is
 * confirmed by comparing the stored vector, so no collision can merge two states.
 */
export class StateStore {
  private arena: Int32Array;
  private parents: Int32Array;
  private actions: Int32Array;
  /** The first fingerprint half of each state, so that growing the table rehashes nothing. */
  private los: Uint32Array;
  private table: Int32Array;
  private tableHi: Uint32Array;
  private mask: number;
  count = 0;

  constructor(readonly width: number) {
    this.arena = new Int32Array(Math.max(1, width) * 1024);
    this.parents = new Int32Array(1024);
    this.actions = new Int32Array(1024);
    this.los = new Uint32Array(1024);
    this.table = new Int32Array(4096).fill(-1);
    this.tableHi = new Uint32Array(4096);
    this.mask = 4095;
  }

  /** Approximate bytes held, for the memory bound. */
  get bytes(): number {
    return this.arena.byteLength + this.parents.byteLength * 3 + this.table.byteLength * 2;
  }

  /** Whether the last `add` stored a new state. */
  added = false;

  /** Adds `vec` unless present; returns its index (`added` tells whether it was new). */
  add(vec: Int32Array, parent: number, action: number): number {
    const lo = hashLo(vec);
    const hi = hashHi(vec);
    const table = this.table;
    for (let slot = lo & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = table[slot] as number;
      if (at < 0) {
        const index = this.append(vec, parent, action);
        this.los[index] = lo;
        table[slot] = index;
        this.tableHi[slot] = hi;
        if (this.count * 2 > this.mask) this.rehash();
        this.added = true;
        return index;
      }
      if (this.tableHi[slot] === hi && this.equals(at, vec)) {
        this.added = false;
        return at;
      }
    }
  }

  /** Copies state `index` into `out`. */
  read(index: number, out: Int32Array): void {
    const base = index * this.width;
    for (let i = 0; i < this.width; i++) out[i] = this.arena[base + i] as number;
  }

  parent(index: number): number {
    return this.parents[index] as number;
  }
  action(index: number): number {
    return this.actions[index] as number;
  }

  private append(vec: Int32Array, parent: number, action: number): number {
    const index = this.count++;
    if ((index + 1) * this.width > this.arena.length) this.arena = grow(this.arena);
    if (index >= this.parents.length) {
      this.parents = grow(this.parents);
      this.actions = grow(this.actions);
      const los = new Uint32Array(this.los.length * 2);
      los.set(this.los);
      this.los = los;
    }
    this.arena.set(vec, index * this.width);
    this.parents[index] = parent;
    this.actions[index] = action;
    return index;
  }

  private equals(index: number, vec: Int32Array): boolean {
    const base = index * this.width;
    for (let i = 0; i < this.width; i++) if (this.arena[base + i] !== vec[i]) return false;
    return true;
  }

  private rehash(): void {
    const { table, tableHi } = this;
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size).fill(-1);
    this.tableHi = new Uint32Array(size);
    this.mask = size - 1;
    for (let old = 0; old < table.length; old++) {
      const index = table[old] as number;
      if (index < 0) continue;
      let slot = (this.los[index] as number) & this.mask;
      while ((this.table[slot] as number) >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = index;
      this.tableHi[slot] = tableHi[old] as number;
    }
  }
}

function grow<T extends Int32Array>(a: T): T {
  const b = new Int32Array(a.length * 2) as T;
  b.set(a);
  return b;
}

/** Murmur3-style mixing; the two halves use different seeds and multipliers. */
function hashLo(vec: Int32Array): number {
  let h = 0x9747b28c;
  for (let i = 0; i < vec.length; i++) {
    let k = Math.imul(vec[i] as number, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h ^ (h >>> 16)) >>> 0;
}

function hashHi(vec: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < vec.length; i++) {
    h = Math.imul(h ^ (vec[i] as number), 0x01000193);
    h ^= h >>> 15;
  }
  return (Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ (h >>> 16)) >>> 0;
}
