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

/** A memo on two ids. */
export class Memo2 {
  private keys = new Int32Array(128).fill(MISS);
  private results = new Int32Array(64);
  private mask = 63;
  private count = 0;

  get(a: number, b: number): number {
    const keys = this.keys;
    for (let slot = mix2(a, b) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot * 2] as number;
      if (k === MISS) return MISS;
      if (k === a && keys[slot * 2 + 1] === b) return this.results[slot] as number;
    }
  }

  set(a: number, b: number, result: number): void {
    let slot = mix2(a, b) & this.mask;
    while (this.keys[slot * 2] !== MISS) slot = (slot + 1) & this.mask;
    this.keys[slot * 2] = a;
    this.keys[slot * 2 + 1] = b;
    this.results[slot] = result;
    if (++this.count * 2 > this.mask) this.grow();
  }

  get bytes(): number {
    return this.keys.byteLength + this.results.byteLength;
  }

  private grow(): void {
    const { keys, results } = this;
    const size = (this.mask + 1) * 2;
    this.keys = new Int32Array(size * 2).fill(MISS);
    this.results = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let slot = 0; slot < results.length; slot++) {
      const a = keys[slot * 2] as number;
      if (a !== MISS) this.set(a, keys[slot * 2 + 1] as number, results[slot] as number);
    }
  }
}

/** A memo on three ids. */
export class Memo3 {
  private keys = new Int32Array(192).fill(MISS);
  private results = new Int32Array(64);
  private mask = 63;
  private count = 0;

  get(a: number, b: number, c: number): number {
    const keys = this.keys;
    for (let slot = mix3(a, b, c) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot * 3] as number;
      if (k === MISS) return MISS;
      if (k === a && keys[slot * 3 + 1] === b && keys[slot * 3 + 2] === c) return this.results[slot] as number;
    }
  }

  set(a: number, b: number, c: number, result: number): void {
    let slot = mix3(a, b, c) & this.mask;
    while (this.keys[slot * 3] !== MISS) slot = (slot + 1) & this.mask;
    this.keys[slot * 3] = a;
    this.keys[slot * 3 + 1] = b;
    this.keys[slot * 3 + 2] = c;
    this.results[slot] = result;
    if (++this.count * 2 > this.mask) this.grow();
  }

  get bytes(): number {
    return this.keys.byteLength + this.results.byteLength;
  }

  private grow(): void {
    const { keys, results } = this;
    const size = (this.mask + 1) * 2;
    this.keys = new Int32Array(size * 3).fill(MISS);
    this.results = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let slot = 0; slot < results.length; slot++) {
      const a = keys[slot * 3] as number;
      if (a !== MISS) this.set(a, keys[slot * 3 + 1] as number, keys[slot * 3 + 2] as number, results[slot] as number);
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
