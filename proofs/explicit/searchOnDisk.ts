/**
 * Breadth-first search with the queue and the fingerprint set on disk, for state spaces past
 * `--max-memory`: each level's states are a file of vectors, read back block by block to expand
 * them; the successors of a level are deduplicated among themselves in memory (first occurrence
 * kept, which is one worker's order), then against the visited fingerprints (`DiskFingerprints`,
 * sorted runs), and the new ones are checked and written as the next level in discovery order.
 * So distinct and generated counts, depth and counterexamples are the in-memory search's; like
 * TLC's disk fingerprint set, states are identified by 64-bit fingerprints only. Parents are kept
 * on disk for the counterexample. Temporal properties (which need the state graph) and symmetry
 * stay in memory.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model, Value } from "../../models/index.js";
import type { CheckOptions, Search } from "./checkModel.js";
import { ModelEvalError } from "./compile.js";
import { DiskFingerprints } from "./DiskFingerprints.js";
import { Expander } from "./Expander.js";
import { fingerprint } from "./fingerprint.js";
import { compileSearchModel, expandIdClauses, type SearchModel } from "./searchModel.js";
import { traceTo } from "./traceTo.js";
import { type SearchStats, type Verdict, withMemory } from "./Verdict.js";

/** Signals that the in-memory search reached `--max-memory` and may continue on disk. */
export class MemoryBoundReached extends Error {}

interface Broken {
  readonly kind: "invariant" | "evaluation";
  readonly property: string;
  readonly message: string;
}

interface StopAt {
  readonly kind: "deadlock" | "evaluation";
  readonly generated: number;
  readonly head: number;
  readonly message: string;
}

export function searchOnDisk(model: Model, options: CheckOptions, started: number, flatten: boolean): Verdict {
  const dir = mkdtempSync(join(tmpdir(), "warden-spill-"));
  try {
    return new DiskSearch(compileSearchModel(model, options.constants, flatten), options, started, dir).run();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

class DiskSearch {
  private readonly width: number;
  private readonly fps: DiskFingerprints;
  private readonly levels: { start: number; path: string }[] = [];
  private readonly parentsPath: string;
  private count = 0;
  private generated = 0;
  private depth = 0;
  private readonly cand: Candidates;
  private lastProgress: number;

  constructor(
    private readonly cm: SearchModel,
    private readonly options: CheckOptions,
    private readonly started: number,
    private readonly dir: string,
  ) {
    this.width = cm.layout.width;
    const budget = (options.maxMemoryMiB ?? 4096) * 2 ** 20;
    this.fps = new DiskFingerprints(dir, Math.max(64, Math.floor(budget / 4 / 8)));
    this.parentsPath = join(dir, "parents.bin");
    closeSync(openSync(this.parentsPath, "w"));
    this.cand = new Candidates(this.width, join(dir, "candidates.bin"));
    this.lastProgress = started;
  }

  run(): Verdict {
    const { cm } = this;
    const ctx = cm.newCtx();
    const current = ctx.s;
    const next = new Int32Array(cm.layout.length);
    cm.layout.reset(current);
    cm.layout.reset(next);
    const offer = (parent: number): undefined => {
      this.generated++;
      ctx.s = next;
      try {
        if (cm.constraint && !cm.table.truth(cm.constraint(ctx))) return undefined;
        if (parent >= 0 && sameSlots(next, current, this.width)) return undefined;
        this.cand.add(next, parent, this.generated);
        return undefined;
      } finally {
        ctx.s = current;
      }
    };
    this.cand.reset();
    let stop: StopAt | undefined;
    try {
      expandIdClauses(cm.init, cm.table, ctx, next, () => offer(-1));
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      stop = { kind: "evaluation", generated: this.generated, head: -1, message: error.message };
    }
    const expander = new Expander(cm, ctx, current, next, offer);
    const deadlock = this.options.checkDeadlock ?? cm.model.checkDeadlock;
    for (let level = 0; ; level++) {
      const start = this.count;
      const verdict = this.finishLevel(level, stop);
      if (verdict) return verdict;
      if (this.count === start) return { kind: "holds", stats: this.stats() };
      if (this.options.maxStates !== undefined && this.count > this.options.maxStates) {
        return {
          kind: "incomplete",
          stats: this.stats(),
          reason: `stopped after --max-states ${this.options.maxStates}`,
        };
      }
      this.cand.reset();
      const { path } = this.levels[this.levels.length - 1] as { path: string };
      let head = start;
      for (const block of blocks(path, this.width)) {
        for (let at = 0; at < block.length && !stop; at += this.width, head++) {
          for (let i = 0; i < this.width; i++) current[i] = block[at + i] as number;
          cm.layout.reset(current);
          ctx.s = current;
          const before = this.generated;
          try {
            expander.expand(head);
          } catch (error) {
            if (!(error instanceof ModelEvalError)) throw error;
            stop = { kind: "evaluation", generated: this.generated, head, message: error.message };
          }
          if (!stop && deadlock && this.generated === before) {
            stop = { kind: "deadlock", generated: this.generated, head, message: "Deadlock reached." };
          }
          this.progress(this.count - head);
        }
        if (stop) break;
      }
    }
  }

  /**
   * Numbers the new states among the level's candidates (in discovery order), checks them and
   * writes them as the next level; returns the verdict when one of them, or `stop`, ends the search.
   */
  private finishLevel(level: number, stop: StopAt | undefined): Verdict | undefined {
    const { cand, cm } = this;
    const old = new Uint8Array(cand.n);
    const sorted = cand.fingerprints().sort();
    const pair = new Uint32Array(sorted.buffer, sorted.byteOffset, sorted.length * 2);
    this.fps.lookup(sorted, (i) => {
      old[cand.find(pair[i * 2] as number, pair[i * 2 + 1] as number)] = 1;
    });
    const path = join(this.dir, `level-${level}.bin`);
    this.levels.push({ start: this.count, path });
    const states = new BlockWriter(path);
    const parents = new BlockWriter(this.parentsPath, true);
    const fresh: number[] = [];
    const ctx = cm.newCtx();
    let index = 0;
    let broken: Broken | undefined;
    let brokenAt = 0;
    scan: for (const block of cand.vectors()) {
      for (let at = 0; at < block.length && !broken; at += this.width, index++) {
        if (old[index] === 1) continue;
        const gen = cand.generatedAt(index);
        if (stop && gen > stop.generated) break scan;
        for (let i = 0; i < this.width; i++) ctx.s[i] = block[at + i] as number;
        cm.layout.reset(ctx.s);
        states.write(block.subarray(at, at + this.width));
        parents.write(Int32Array.of(cand.parent(index)));
        fresh.push(index);
        this.count++;
        this.depth = level + 1;
        broken = this.check(ctx);
        brokenAt = gen;
      }
      if (broken) break;
    }
    states.close();
    parents.close();
    this.stateBytes += fresh.length * (this.width + 1) * 4;
    if (broken) return this.violated(broken, brokenAt);
    if (stop) return this.stopped(stop);
    this.fps.addAll(cand.fingerprintsOf(fresh));
    return undefined;
  }

  /** The invariant or `[]P` property the state in `ctx` breaks (or an evaluation error), if any. */
  private check(ctx: ReturnType<SearchModel["newCtx"]>): Broken | undefined {
    const { cm } = this;
    try {
      const bad = cm.check(ctx);
      if (bad >= 0) {
        const name = cm.invariants[bad]?.name ?? "?";
        return { kind: "invariant", property: name, message: `Invariant ${name} is violated.` };
      }
      const safety = cm.model.properties.filter(
        (p) => p.kind === "always" && (!this.options.properties || this.options.properties.includes(p.name)),
      );
      const broken = safety.find((p) => !cm.table.truth(cm.predicate(p.p)(ctx)))?.name;
      if (broken === undefined) return undefined;
      return { kind: "invariant", property: broken, message: `Safety property ${broken} is violated.` };
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      return { kind: "evaluation", property: "evaluation", message: error.message };
    }
  }

  private violated(broken: Broken, generated: number): Verdict {
    const stats = { ...this.stats(), generatedStates: generated };
    const trace =
      broken.kind === "evaluation" ? { vars: this.cm.varNames, steps: [] } : traceTo(this.search(), this.count - 1);
    const { kind, property, message } = broken;
    return { kind: "violated", stats, property, propertyKind: kind, message, trace };
  }

  private stopped(stop: StopAt): Verdict {
    const stats = { ...this.stats(), generatedStates: stop.generated };
    if (stop.kind === "evaluation") {
      const trace = { vars: this.cm.varNames, steps: [] };
      return {
        kind: "violated",
        stats,
        property: "evaluation",
        propertyKind: "evaluation",
        message: stop.message,
        trace,
      };
    }
    const trace = traceTo(this.search(), stop.head);
    return { kind: "violated", stats, property: "Deadlock", propertyKind: "deadlock", message: stop.message, trace };
  }

  /** Bytes of the level files and the parents file. */
  private stateBytes = 0;

  private get diskBytes(): number {
    return this.fps.diskBytes + this.stateBytes;
  }

  private get memoryBytes(): number {
    return this.fps.memoryBytes + this.cand.memoryBytes + this.cm.memoBytes();
  }

  private stats(): SearchStats {
    const ms = Math.round(performance.now() - this.started);
    const stats = { distinctStates: this.count, generatedStates: this.generated, depth: this.depth, ms };
    return { ...withMemory(stats, this.memoryBytes), diskBytes: this.diskBytes };
  }

  private progress(queue: number): void {
    const { onProgress, progressEveryMs } = this.options;
    const now = performance.now();
    if (!onProgress || now - this.lastProgress < (progressEveryMs ?? 1000)) return;
    this.lastProgress = now;
    onProgress({
      distinct: this.count,
      queue,
      perSecond: Math.round(this.count / ((now - this.started) / 1000)),
      memoryMiB: this.memoryBytes / 2 ** 20,
      diskMiB: this.diskBytes / 2 ** 20,
    });
  }

  /** States by index from the level files, parents from the parents file. */
  private search(): Search {
    const { cm, width } = this;
    const read = (path: string, position: number, out: Int32Array): void => {
      const fd = openSync(path, "r");
      try {
        readSync(fd, out, 0, out.byteLength, position);
      } finally {
        closeSync(fd);
      }
    };
    const levels = this.levels;
    const store = {
      count: this.count,
      read(index: number, out: Int32Array): void {
        let l = levels.length - 1;
        while (l > 0 && (levels[l] as { start: number }).start > index) l--;
        const level = levels[l] as { start: number; path: string };
        const vec = new Int32Array(width);
        read(level.path, (index - level.start) * width * 4, vec);
        out.set(vec);
      },
      parent: (index: number): number => {
        const p = new Int32Array(1);
        read(this.parentsPath, index * 4, p);
        return p[0] as number;
      },
    };
    const scratch = new Int32Array(cm.layout.length);
    const decode = (index: number): Value[] => {
      store.read(index, scratch);
      cm.layout.reset(scratch);
      return cm.varNames.map((_, i) => cm.layout.value(scratch, i));
    };
    return { cm, store, decode };
  }
}

/**
 * A level's successors, each kept once (its first occurrence): fingerprints, parent and position
 * in the generated count in memory, vectors in a file.
 */
class Candidates {
  private lo = new Int32Array(1024);
  private hi = new Int32Array(1024);
  private parents = new Int32Array(1024);
  private gens = new Float64Array(1024);
  private table = new Int32Array(4096);
  private readonly halves = new Int32Array(2);
  private writer: BlockWriter | undefined;
  n = 0;

  constructor(
    private readonly width: number,
    private readonly path: string,
  ) {}

  get memoryBytes(): number {
    return this.lo.byteLength * 3 + this.gens.byteLength + this.table.byteLength;
  }

  reset(): void {
    this.writer?.close();
    this.writer = new BlockWriter(this.path);
    this.n = 0;
    this.table.fill(0);
  }

  add(vec: Int32Array, parent: number, generated: number): void {
    fingerprint(vec, this.width, this.halves);
    const lo = this.halves[0] as number;
    const hi = this.halves[1] as number;
    const mask = this.table.length - 1;
    let pos = lo & mask;
    for (; this.table[pos] !== 0; pos = (pos + 1) & mask) {
      const i = (this.table[pos] as number) - 1;
      if (this.lo[i] === lo && this.hi[i] === hi) return;
    }
    if (this.n === this.lo.length) this.grow();
    const i = this.n++;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.parents[i] = parent;
    this.gens[i] = generated;
    this.table[pos] = i + 1;
    (this.writer as BlockWriter).write(vec.subarray(0, this.width));
    if (this.n * 2 > this.table.length) this.rehash();
  }

  find(lo: number, hi: number): number {
    const mask = this.table.length - 1;
    for (let pos = lo & mask; ; pos = (pos + 1) & mask) {
      const i = (this.table[pos] as number) - 1;
      if (i < 0) return -1;
      if (this.lo[i] === (lo | 0) && this.hi[i] === (hi | 0)) return i;
    }
  }

  parent(i: number): number {
    return this.parents[i] as number;
  }
  generatedAt(i: number): number {
    return this.gens[i] as number;
  }

  /** The fingerprints as 64-bit keys (lo in the low half). */
  fingerprints(): BigUint64Array {
    return this.fingerprintsOf(Array.from({ length: this.n }, (_, i) => i));
  }

  fingerprintsOf(indices: readonly number[]): BigUint64Array {
    const out = new BigUint64Array(indices.length);
    const pair = new Uint32Array(out.buffer);
    indices.forEach((i, k) => {
      pair[k * 2] = this.lo[i] as number;
      pair[k * 2 + 1] = this.hi[i] as number;
    });
    return out;
  }

  vectors(): Iterable<Int32Array> {
    (this.writer as BlockWriter).close();
    return blocks(this.path, this.width);
  }

  private grow(): void {
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.lo = grow32(this.lo);
    this.hi = grow32(this.hi);
    this.parents = grow32(this.parents);
    const g = new Float64Array(this.gens.length * 2);
    g.set(this.gens);
    this.gens = g;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let i = 0; i < this.n; i++) {
      let pos = (this.lo[i] as number) & mask;
      while (this.table[pos] !== 0) pos = (pos + 1) & mask;
      this.table[pos] = i + 1;
    }
  }
}

function sameSlots(a: Int32Array, b: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Appends int vectors to a file through a buffer. */
class BlockWriter {
  private readonly fd: number;
  private readonly buffer = new Int32Array(1 << 16);
  private used = 0;

  constructor(path: string, append = false) {
    this.fd = openSync(path, append ? "a" : "w");
  }

  write(v: Int32Array): void {
    if (this.used + v.length > this.buffer.length) this.flush();
    if (v.length > this.buffer.length) {
      writeSync(this.fd, v);
      return;
    }
    this.buffer.set(v, this.used);
    this.used += v.length;
  }

  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/** A file of `width`-int vectors, a block of whole vectors at a time. */
function* blocks(path: string, width: number): Generator<Int32Array> {
  const fd = openSync(path, "r");
  try {
    const per = Math.max(1, Math.floor((1 << 16) / width));
    const block = new Int32Array(per * width);
    for (let position = 0; ; ) {
      const bytes = readSync(fd, block, 0, block.byteLength, position);
      if (bytes <= 0) return;
      position += bytes;
      yield block.subarray(0, bytes / 4);
    }
  } finally {
    closeSync(fd);
  }
}
