/**
 * The set of visited 64-bit fingerprints when it no longer fits in memory, as TLC's disk
 * fingerprint set keeps it: a sorted buffer in memory and sorted runs on disk. Lookups are
 * batched per breadth-first level (delayed duplicate detection): the level's candidate
 * fingerprints, sorted, are merged against the buffer and every run in one sequential pass each,
 * so the disk is only ever read front to back. Runs are merged into one when there are many.
 */
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Fingerprints read or written per block. */
const BLOCK = 1 << 16;
const MAX_RUNS = 8;

export class DiskFingerprints {
  private buffer = new BigUint64Array(1024);
  private buffered = 0;
  private readonly runs: string[] = [];
  private written = 0;
  diskBytes = 0;

  constructor(
    private readonly dir: string,
    /** Fingerprints the memory buffer may hold before it is written as a run. */
    private readonly bufferLimit: number,
  ) {}

  get memoryBytes(): number {
    return this.buffer.byteLength;
  }

  /** Adds fingerprints known to be new (the level's new states). */
  addAll(fps: BigUint64Array): void {
    if (this.buffered + fps.length > this.buffer.length) {
      let size = this.buffer.length;
      while (size < this.buffered + fps.length) size *= 2;
      const bigger = new BigUint64Array(size);
      bigger.set(this.buffer.subarray(0, this.buffered));
      this.buffer = bigger;
    }
    this.buffer.set(fps, this.buffered);
    this.buffered += fps.length;
    this.buffer.subarray(0, this.buffered).sort();
    if (this.buffered > this.bufferLimit) this.spill();
  }

  /** Calls `seen(i)` for each i whose `sorted[i]` is in the set; `sorted` must be ascending. */
  lookup(sorted: BigUint64Array, seen: (i: number) => void): void {
    mergeMatches(sorted, [this.buffer.subarray(0, this.buffered)], seen);
    for (const run of this.runs) mergeMatches(sorted, blocksOf(run), seen);
  }

  private spill(): void {
    const path = join(this.dir, `fp-${this.written++}.bin`);
    writeAll(path, [this.buffer.subarray(0, this.buffered)]);
    this.runs.push(path);
    this.buffered = 0;
    this.buffer = new BigUint64Array(1024);
    if (this.runs.length > MAX_RUNS) this.mergeRuns();
    this.diskBytes = this.runs.reduce((sum, r) => sum + statSync(r).size, 0);
  }

  /** Merges every run into one (k-way, block by block). */
  private mergeRuns(): void {
    const path = join(this.dir, `fp-${this.written++}.bin`);
    const sources = this.runs.map((r) => blocksOf(r)[Symbol.iterator]());
    const heads = sources.map((s) => s.next());
    const offsets = sources.map(() => 0);
    const out = new BigUint64Array(BLOCK);
    let n = 0;
    const fd = openSync(path, "w");
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i] as IteratorResult<BigUint64Array>;
        if (h.done) continue;
        if (best < 0 || (h.value[offsets[i] as number] as bigint) < current(heads, offsets, best)) best = i;
      }
      if (best < 0) break;
      out[n++] = current(heads, offsets, best);
      if (n === BLOCK) {
        writeSync(fd, out);
        n = 0;
      }
      offsets[best] = (offsets[best] as number) + 1;
      const h = heads[best] as IteratorResult<BigUint64Array>;
      if (!h.done && (offsets[best] as number) >= h.value.length) {
        heads[best] = (sources[best] as Iterator<BigUint64Array>).next();
        offsets[best] = 0;
      }
    }
    if (n > 0) writeSync(fd, out.subarray(0, n));
    closeSync(fd);
    for (const r of this.runs) rmSync(r);
    this.runs.length = 0;
    this.runs.push(path);
  }
}

function current(heads: IteratorResult<BigUint64Array>[], offsets: number[], i: number): bigint {
  return (heads[i] as IteratorYieldResult<BigUint64Array>).value[offsets[i] as number] as bigint;
}

/** Merges ascending `sorted` with the ascending blocks of one source, reporting equal keys. */
function mergeMatches(sorted: BigUint64Array, blocks: Iterable<BigUint64Array>, seen: (i: number) => void): void {
  let i = 0;
  for (const block of blocks) {
    let j = 0;
    while (i < sorted.length && j < block.length) {
      const a = sorted[i] as bigint;
      const b = block[j] as bigint;
      if (a < b) i++;
      else if (a > b) j++;
      else {
        seen(i++);
      }
    }
    if (i >= sorted.length) return;
  }
}

function* blocksOf(path: string): Generator<BigUint64Array> {
  const fd = openSync(path, "r");
  try {
    const block = new BigUint64Array(BLOCK);
    for (let position = 0; ; ) {
      const bytes = readSync(fd, block, 0, block.byteLength, position);
      if (bytes <= 0) return;
      position += bytes;
      yield block.subarray(0, bytes / 8);
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(path: string, parts: readonly BigUint64Array[]): void {
  const fd = openSync(path, "w");
  try {
    for (const p of parts) writeSync(fd, p);
  } finally {
    closeSync(fd);
  }
}
