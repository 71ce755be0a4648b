/**
 * Memo tables from value ids to a value id: the checker evaluates every operation on interned ids
 * and computes a result from the values only on the first sight of its arguments. Ids are dense,
 * so one argument indexes an array; several arguments probe an open-addressing table.
 */

/** Marks an empty entry: ids are never negative. */
export const MISS = -1;

/** A memo on one id: a growable array indexed by the id. */
export class Memo1 {
  private table = new Int32Array(64).fill(MISS);

  get(a: number): number {
    return a < this.table.length ? (this.table[a] as number) : MISS;
  }

  set(a: number, result: number): void {
    if (a >= this.table.length) {
      let size = this.table.length * 2;
      while (a >= size) size *= 2;
      const bigger = new Int32Array(size).fill(MISS);
      bigger.set(this.table);
      this.table = bigger;
    }
    this.table[a] = result;
  }

  get bytes(): number {
    return this.table.byteLength;
  }
}

/**
 * A memo on two ids: keys and result interleaved (a, b, result, unused), so a probe touches one
 * cache line. Memo2 and Memo3 are written out on purpose: a shared base class measured 10 % slower
 * on TwoPhase (the probe loop is the checker's hottest code).
 */
export class Memo2 {
  private entries = new Int32Array(64 * 4).fill(MISS);
  private mask = 63;
  private count = 0;

  get(a: number, b: number): number {
    const entries = this.entries;
    for (let slot = mix2(a, b) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot << 2;
      const k = entries[at] as number;
      if (k === MISS) return MISS;
      if (k === a && entries[at + 1] === b) return entries[at + 2] as number;
    }
  }

  set(a: number, b: number, result: number): void {
    let slot = mix2(a, b) & this.mask;
    while (this.entries[slot << 2] !== MISS) slot = (slot + 1) & this.mask;
    const at = slot << 2;
    this.entries[at] = a;
    this.entries[at + 1] = b;
    this.entries[at + 2] = result;
    if (++this.count * 2 > this.mask) this.grow();
  }

  get bytes(): number {
    return this.entries.byteLength;
  }

  private grow(): void {
    const old = this.entries;
    const size = (this.mask + 1) * 2;
    this.entries = new Int32Array(size * 4).fill(MISS);
    this.mask = size - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 4) {
      const a = old[at] as number;
      if (a !== MISS) this.set(a, old[at + 1] as number, old[at + 2] as number);
    }
  }
}

/** A memo on three ids, interleaved like {@link Memo2}. */
export class Memo3 {
  private entries = new Int32Array(64 * 4).fill(MISS);
  private mask = 63;
  private count = 0;

  get(a: number, b: number, c: number): number {
    const entries = this.entries;
    for (let slot = mix3(a, b, c) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot << 2;
      const k = entries[at] as number;
      if (k === MISS) return MISS;
      if (k === a && entries[at + 1] === b && entries[at + 2] === c) return entries[at + 3] as number;
    }
  }

  set(a: number, b: number, c: number, result: number): void {
    let slot = mix3(a, b, c) & this.mask;
    while (this.entries[slot << 2] !== MISS) slot = (slot + 1) & this.mask;
    const at = slot << 2;
    this.entries[at] = a;
    this.entries[at + 1] = b;
    this.entries[at + 2] = c;
    this.entries[at + 3] = result;
    if (++this.count * 2 > this.mask) this.grow();
  }

  get bytes(): number {
    return this.entries.byteLength;
  }

  private grow(): void {
    const old = this.entries;
    const size = (this.mask + 1) * 2;
    this.entries = new Int32Array(size * 4).fill(MISS);
    this.mask = size - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 4) {
      const a = old[at] as number;
      if (a !== MISS) this.set(a, old[at + 1] as number, old[at + 2] as number, old[at + 3] as number);
    }
  }
}

/** A memo on a fixed number of ids, passed in a scratch vector. */
export class MemoN {
  private keys: Int32Array;
  private results = new Int32Array(64);
  private mask = 63;
  private count = 0;

  constructor(readonly arity: number) {
    this.keys = new Int32Array(64 * arity).fill(MISS);
  }

  get(key: Int32Array): number {
    const n = this.arity;
    const keys = this.keys;
    for (let slot = mixN(key, n) & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * n;
      if (keys[base] === MISS) return MISS;
      let i = 0;
      while (i < n && keys[base + i] === key[i]) i++;
      if (i === n) return this.results[slot] as number;
    }
  }

  set(key: Int32Array, result: number): void {
    const n = this.arity;
    let slot = mixN(key, n) & this.mask;
    while (this.keys[slot * n] !== MISS) slot = (slot + 1) & this.mask;
    for (let i = 0; i < n; i++) this.keys[slot * n + i] = key[i] as number;
    this.results[slot] = result;
    if (++this.count * 2 > this.mask) this.grow();
  }

  get bytes(): number {
    return this.keys.byteLength + this.results.byteLength;
  }

  private grow(): void {
    const { keys, results, arity } = this;
    const size = (this.mask + 1) * 2;
    this.keys = new Int32Array(size * arity).fill(MISS);
    this.results = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    const key = new Int32Array(arity);
    for (let slot = 0; slot < results.length; slot++) {
      if (keys[slot * arity] === MISS) continue;
      for (let i = 0; i < arity; i++) key[i] = keys[slot * arity + i] as number;
      this.set(key, results[slot] as number);
    }
  }
}

function mix2(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mix3(a: number, b: number, c: number): number {
  return mix2(Math.imul(a, 0x27d4eb2f) ^ b, c);
}

function mixN(key: Int32Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ (key[i] as number), 0x01000193) ^ (h >>> 13);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
