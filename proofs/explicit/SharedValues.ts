/**
 * One value-id space for all threads of a parallel search. Each thread interns values in its own
 * `ValueTable` (ids depend on the order it met them), so a state stored in shared memory uses
 * global ids: the ids every thread's table gives right after compiling the model (the same in
 * all, compilation being deterministic) stay as they are, and every later value is registered in
 * a lock-free shared hash set of structural encodings (kind, then the global ids of its parts).
 * `ValueBridge` translates between a thread's local ids and global ids, decoding a value another
 * thread registered on first sight.
 */
import type { Value } from "../../models/index.js";
import { ensureShared, growableShared } from "./growShared.js";
import type { ValueTable } from "./ValueTable.js";

const NUMBER = 1;
const STRING = 2;
const SET = 3;
const TUPLE = 4;
const RECORD = 5;
const FUNCTION = 6;

/** `meta` fields. */
const COUNT = 0;
const TOP = 1;

/** Hash slots (fixed: values are far fewer than states; a full table makes the run fall back). */
const SLOTS = 1 << 21;

export interface SharedValueBuffers {
  readonly meta: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  /** Ids below it are the compiled model's, the same in every thread. */
  readonly base: number;
}

export function sharedValueBuffers(base: number): SharedValueBuffers {
  return {
    meta: new SharedArrayBuffer(16),
    data: growableShared(1 << 20),
    offsets: growableShared(1 << 16),
    table: new SharedArrayBuffer(SLOTS * 4),
    base,
  };
}

/** Raised when the shared value set is full; the caller falls back to one worker. */
export class SharedValuesFull extends Error {}

export class ValueBridge {
  private readonly meta: Int32Array;
  private readonly data: Int32Array;
  private readonly offsets: Int32Array;
  private readonly table: Int32Array;
  private readonly base: number;
  private toG = new Int32Array(1024).fill(-1);
  private toL = new Int32Array(1024).fill(-1);
  private readonly f64 = new Float64Array(1);
  private readonly i32 = new Int32Array(this.f64.buffer);

  constructor(
    private readonly buffers: SharedValueBuffers,
    private readonly values: ValueTable,
  ) {
    this.meta = new Int32Array(buffers.meta);
    this.data = new Int32Array(buffers.data);
    this.offsets = new Int32Array(buffers.offsets);
    this.table = new Int32Array(buffers.table);
    this.base = buffers.base;
  }

  /** Bytes of shared memory held by the registry. */
  get bytes(): number {
    return this.buffers.data.byteLength + this.buffers.offsets.byteLength + this.buffers.table.byteLength;
  }

  /** The global id of local id `id`. */
  global(id: number): number {
    if (id < this.base) return id;
    const known = id < this.toG.length ? (this.toG[id] as number) : -1;
    return known >= 0 ? known : this.register(id);
  }

  /** The local id of global id `g`. */
  local(g: number): number {
    if (g < this.base) return g;
    const known = g < this.toL.length ? (this.toL[g] as number) : -1;
    return known >= 0 ? known : this.decode(g);
  }

  private remember(id: number, g: number): void {
    while (id >= this.toG.length) this.toG = grown(this.toG);
    while (g >= this.toL.length) this.toL = grown(this.toL);
    this.toG[id] = g;
    this.toL[g] = id;
  }

  private register(id: number): number {
    const code = this.encode(this.values.values[id] as Value);
    const g = this.insert(code);
    this.remember(id, g);
    return g;
  }

  private encode(v: Value): number[] {
    const out: number[] = [];
    if (typeof v === "number") {
      this.f64[0] = v;
      out.push(NUMBER, this.i32[0] as number, this.i32[1] as number);
    } else if (typeof v === "string") {
      out.push(STRING, v.length);
      for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i));
    } else if (typeof v === "boolean") {
      throw new Error("Booleans are interned at compile time");
    } else {
      const parts = (xs: readonly Value[]) => {
        for (const x of xs) out.push(this.global(this.values.intern(x)));
      };
      switch (v.kind) {
        case "set":
        case "tuple":
          out.push(v.kind === "set" ? SET : TUPLE, v.elems.length);
          parts(v.elems);
          break;
        case "record":
          out.push(RECORD, v.names.length);
          parts(v.names);
          parts(v.values);
          break;
        case "function":
          out.push(FUNCTION, v.domain.length);
          parts(v.domain);
          parts(v.values);
          break;
      }
    }
    return out;
  }

  /** Finds or adds `code` in the shared set; returns its global id. */
  private insert(code: readonly number[]): number {
    let h = 0x811c9dc5;
    for (const x of code) h = Math.imul(h ^ x, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const mask = SLOTS - 1;
    let reserved = -1;
    for (let slot = h & mask, probes = 0; ; slot = (slot + 1) & mask, probes++) {
      if (probes > SLOTS / 2) throw new SharedValuesFull("too many distinct values for the parallel checker");
      let at = Atomics.load(this.table, slot);
      if (at === 0) {
        // Written before it is published, so a thread that sees the slot sees the encoding.
        if (reserved < 0) reserved = this.append(code);
        at = Atomics.compareExchange(this.table, slot, 0, reserved + 1);
        if (at === 0) return this.base + reserved;
      }
      if (this.matches(at - 1, code)) return this.base + at - 1;
    }
  }

  private append(code: readonly number[]): number {
    const index = Atomics.add(this.meta, COUNT, 1);
    const start = Atomics.add(this.meta, TOP, code.length + 1);
    ensureShared(this.buffers.data, (start + code.length + 1) * 4);
    ensureShared(this.buffers.offsets, (index + 1) * 4);
    this.data[start] = code.length;
    for (let i = 0; i < code.length; i++) this.data[start + 1 + i] = code[i] as number;
    this.offsets[index] = start;
    return index;
  }

  private matches(index: number, code: readonly number[]): boolean {
    const start = this.offsets[index] as number;
    if (this.data[start] !== code.length) return false;
    for (let i = 0; i < code.length; i++) if (this.data[start + 1 + i] !== code[i]) return false;
    return true;
  }

  private decode(g: number): number {
    const start = this.offsets[g - this.base] as number;
    const kind = this.data[start + 1] as number;
    const n = this.data[start + 2] as number;
    const part = (i: number): Value => this.values.values[this.local(this.data[start + 3 + i] as number)] as Value;
    const parts = (from: number): Value[] => Array.from({ length: n }, (_, i) => part(from + i));
    let v: Value;
    if (kind === NUMBER) {
      this.i32[0] = n;
      this.i32[1] = this.data[start + 3] as number;
      v = this.f64[0] as number;
    } else if (kind === STRING) {
      const units = this.data.subarray(start + 3, start + 3 + n);
      v = String.fromCharCode(...units);
    } else if (kind === SET || kind === TUPLE) v = { kind: kind === SET ? "set" : "tuple", elems: parts(0) };
    else if (kind === RECORD) v = { kind: "record", names: parts(0) as string[], values: parts(n) };
    else v = { kind: "function", domain: parts(0), values: parts(n) };
    const id = this.values.intern(v);
    this.remember(id, g);
    return id;
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2).fill(-1);
  b.set(a);
  return b;
}
