/**
 * Parallel breadth-first checking (`warden check --workers N`): N threads, this one and N - 1
 * worker threads, expand a level's states side by side, adding successors to a shared lock-free
 * state set, and this thread numbers each finished level the way one worker would (states in
 * order of (parent, successor ordinal) of their first discovery), so distinct and generated
 * counts, depth, counterexamples and the state graph are exactly one worker's whatever the
 * interleaving. Levels too small for a round trip, and those before the workers have compiled the
 * model, are expanded by this thread alone. Temporal properties are checked afterwards, in this
 * thread, on the graph the threads recorded. A one-worker search (`checkModel.ts`) runs first:
 * small state spaces end in it, and larger ones are taken over at a level boundary past
 * `sequentialStates`, its states entered in its order, the threads started while it runs.
 * Symmetry reduction and transition callbacks stay one-worker.
 */
import type { Model, Value } from "../../models/index.js";
import {
  type CheckOptions,
  checkModel,
  checkModelOnDisk,
  checkModelPrefix,
  type Prefix,
  type Search,
} from "./checkModel.js";
import { ModelEvalError } from "./compile.js";
import { ensureShared } from "./growShared.js";
import { FlatShapeError } from "./Layout.js";
import { LevelWorker, type Round, type RoundReport, type StopEvent, type WorkerSetup } from "./LevelWorker.js";
import { checkTemporal } from "./liveness.js";
import {
  NARROW_EXCEEDED,
  NarrowIdsExceeded,
  NEXT_RANGE,
  PAUSE,
  RANGES,
  READY,
  recycleStateBuffers,
  SharedStates,
  sharedStateBuffers,
  WANTED,
} from "./SharedStates.js";
import { SharedValuesFull, sharedValueBuffers, ValueBridge } from "./SharedValues.js";
import { StateGraph } from "./StateGraph.js";
import { compileSearchModel, type SearchModel } from "./searchModel.js";
import { MemoryBoundReached } from "./searchOnDisk.js";
import { traceTo } from "./traceTo.js";
import { type SearchStats, type Verdict, withMemory } from "./Verdict.js";
import { WorkerFailure, WorkerPool } from "./WorkerPool.js";

export interface ParallelOptions extends CheckOptions {
  readonly workers: number;
  /**
   * Distinct states the one-worker search in this thread reaches before the threads take over,
   * at the next level boundary, from where it stopped (default 500,000); 0 (tests) gives the
   * threads every level from the first, however small.
   */
  readonly sequentialStates?: number;
  /**
   * For tests: one head per range and ranges claimed last first, so that later heads reach
   * states before earlier ones and the numbering must undo it.
   */
  readonly adversarial?: boolean;
  /** For tests: the shared table's first size (a power of two), so that small searches grow it. */
  readonly tableSlots?: number;
}

const SEQUENTIAL_STATES = 500_000;
/** Levels with fewer heads are expanded by the coordinator itself: a round trip costs more. */
const LOCAL_HEADS = 256;
/**
 * Distinct states after which the other threads are started (this thread goes on alone while
 * they compile the model): below, starting them costs more than they save.
 */
const POOL_STATES = 10_000;

/**
 * Slots whose pages the threads commit while the one-worker prefix runs: what the hand-over
 * enters and as much again (the threads are idle until then), but at most half of --max-memory,
 * so that pages committed ahead never decide on their own that the search goes to disk.
 */
export function prefaultSlots(handOver: number, bytesPerSlot: number, maxMemoryMiB?: number): number {
  const wanted = 2 * handOver;
  if (maxMemoryMiB === undefined) return wanted;
  return Math.min(wanted, Math.floor((maxMemoryMiB * 2 ** 20) / 2 / bytesPerSlot));
}

export async function checkModelParallel(model: Model, options: ParallelOptions): Promise<Verdict> {
  const started = performance.now();
  const symmetric = model.symmetry !== undefined && options.symmetry !== false;
  if (options.workers <= 1 || symmetric || options.onTransition) return checkModel(model, options);
  // A --max-states reached in the one-worker prefix is its own answer, to the state.
  const limit = options.sequentialStates ?? SEQUENTIAL_STATES;
  try {
    const search = new ParallelSearch(model, options, started, true, limit);
    try {
      return await search.run();
    } catch (error) {
      // A value id past two bytes: the search starts again with four-byte ids, the threads
      // taking over right after the initial states.
      const narrowExceeded =
        error instanceof NarrowIdsExceeded || (error instanceof WorkerFailure && error.message === NARROW_EXCEEDED);
      if (!narrowExceeded) throw error;
      // The pool first: the wide search waits for it to be released.
      search.release();
      const wide = new ParallelSearch(model, options, started, false, 0);
      try {
        return await wide.run();
      } finally {
        wide.release();
      }
    } finally {
      search.release();
    }
  } catch (error) {
    // A value outside the flat layout, or shared tables outgrown: one worker handles both.
    // A RangeError: a shared table full, or the address space refused (strict overcommit).
    const fallback =
      error instanceof FlatShapeError ||
      error instanceof SharedValuesFull ||
      error instanceof RangeError ||
      (error instanceof WorkerFailure && (error.flat || error.message.includes("is full")));
    if (fallback) return checkModel(model, options);
    // Past --max-memory: one worker continues with the queue and fingerprint set on disk.
    if (error instanceof MemoryBoundReached) return checkModelOnDisk(model, options);
    throw error;
  }
}

class ParallelSearch {
  private readonly cm: SearchModel;
  private readonly bridge: ValueBridge;
  private readonly states: SharedStates;
  private readonly setup: WorkerSetup;
  private tableSlots: number;
  private table: SharedArrayBuffer;
  private canonCount = 0;
  private initCount = 0;
  private generated = 0;
  private depth = 0;
  /** Scratch for numbering a level (kept: fresh pages cost more than the numbering). */
  private order = new Int32Array(1024);
  private starts = new Int32Array(1024);
  private readonly edgeChunks: RoundReport["edges"] = [];
  private readonly graphWanted: boolean;
  private graph: StateGraph | undefined;

  constructor(
    private readonly model: Model,
    private readonly options: ParallelOptions,
    private readonly started: number,
    narrow: boolean,
    /** States the one-worker search reaches before the threads take over (at the next level boundary). */
    private readonly handOver: number,
  ) {
    this.tableSlots = options.tableSlots ?? 1 << 16;
    this.cm = compileSearchModel(model, options.constants ?? new Map(), true);
    const values = sharedValueBuffers(this.cm.table.values.length);
    this.bridge = new ValueBridge(values, this.cm.table);
    const buffers = sharedStateBuffers(this.tableSlots, narrow);
    this.table = buffers.table;
    this.states = new SharedStates(buffers, this.cm.layout.width);
    this.graphWanted = model.properties.some(
      (p) => p.kind !== "always" && (!options.properties || options.properties.includes(p.name)),
    );
    this.setup = {
      model,
      constants: options.constants ?? new Map(),
      flatten: true,
      properties: options.properties,
      deadlock: options.checkDeadlock ?? model.checkDeadlock,
      graph: this.graphWanted,
      states: buffers,
      values,
      prefaultSlots: prefaultSlots(handOver, this.states.slotBytes, options.maxMemoryMiB),
    };
  }

  /** The threads, once started and set up; a failure to start them, raised at the next level. */
  private starting: Promise<WorkerPool> | undefined;
  private pool: WorkerPool | undefined;
  private failed: unknown;

  /** Starts the other threads (once); they compile the model while this one goes on. */
  private startPool(): void {
    if (this.starting) return;
    this.starting = WorkerPool.start(this.options.workers - 1, this.setup);
    this.starting.then(
      (ready) => {
        this.pool = ready;
      },
      (error: unknown) => {
        this.failed = error;
      },
    );
  }

  /** Gives the threads back (a pool still starting once it has: it must not keep the process alive). */
  release(): void {
    void this.starting?.then(
      (p) => p.release(),
      () => undefined,
    );
    this.starting = undefined;
  }

  /**
   * Hands the per-slot buffers on to the next search, once this one's verdict is built (the
   * temporal phase reads them) and no thread can still write them: only after every round
   * completed, never after a failure, when another thread may still be in its round.
   */
  private recycle<V>(verdict: V): V {
    recycleStateBuffers(this.setup.states);
    return verdict;
  }

  /**
   * The search: one worker first, in this thread, which checks the initial states and goes on
   * alone to the first level boundary past `handOver` states; the threads, started on the way
   * (they compile the model meanwhile), take over from there.
   */
  async run(): Promise<Verdict> {
    const { handOver } = this;
    const onStates = (count: number): void => {
      if (count * 2 >= handOver) this.startPool();
    };
    const prefix = checkModelPrefix(this.model, this.options, { cm: this.cm, atStates: handOver, onStates });
    if ("kind" in prefix) return this.recycle(prefix);
    this.takeOver(prefix);
    let from = prefix.levelStart;
    // The level of heads [from, …): the prefix ends having found all of it, and no deeper state.
    let level = prefix.depth;
    const threadsOnly = this.options.sequentialStates === 0;
    const localHeads = threadsOnly ? 0 : LOCAL_HEADS;
    const own = new LevelWorker(this.setup, { cm: this.cm, bridge: this.bridge });
    // This thread expands the levels alone while the others compile the model; then it takes
    // its share of every round, its code already warm.
    const progress = this.progressTimer();
    try {
      for (; from < this.canonCount; level++) {
        const to = this.canonCount;
        if (threadsOnly || to >= POOL_STATES) this.startPool();
        // Let the pool's start be noticed.
        if (this.starting && !this.pool) await new Promise((resolve) => setImmediate(resolve));
        if (this.failed) throw this.failed;
        // Set up (they count themselves in shared memory): their reply is on its way, so waiting
        // for it costs nothing. One yield to the event loop does not always deliver it, and the
        // threads would sit idle for another level.
        const ready = Atomics.load(this.states.meta, READY) >= this.options.workers - 1;
        if ((threadsOnly || ready) && !this.pool) this.pool = await this.starting;
        const threads = this.pool && to - from >= localHeads ? this.pool : undefined;
        const run = async (r: Round): Promise<RoundReport[]> => {
          // The others' messages are posted before this thread starts on its share.
          const theirs = threads?.round(r) ?? Promise.resolve([]);
          let mine: RoundReport;
          try {
            mine = own.run(r);
          } catch (error) {
            await theirs.catch(() => undefined);
            throw error;
          }
          return [mine, ...(await theirs)];
        };
        const stop = await this.level(run, threads, from, to, level);
        if (stop) return this.recycle(stop);
        const limit = this.limits();
        if (limit) return this.recycle(limit);
        from = to;
      }
    } finally {
      clearInterval(progress);
    }
    return this.recycle(this.temporal());
  }

  /**
   * Enters a one-worker prefix's states in its order, so that their indices stay canonical, each
   * keyed by its parent; its edges become the start of the state graph.
   */
  private takeOver(prefix: Prefix): void {
    const { cm, states, bridge } = this;
    const { store } = prefix;
    const local = new Int32Array(cm.layout.length);
    const g = new Int32Array(cm.layout.width);
    // Sized once, for the states and as many again; the states are distinct, so none is looked up.
    this.useTable(store.count * 4);
    for (let i = 0; i < store.count; i++) {
      store.read(i, local);
      for (let k = 0; k < g.length; k++) g[k] = bridge.global(local[k] as number);
      states.canonSlots[i] = states.addNew(g, states.hash(g), Math.max(0, store.parent(i)), 0);
    }
    // The block's unwritten rest marked dead, as every round leaves its own: a growth enters every
    // slot not dead, and a kept buffer's unwritten slots hold the previous check's states.
    states.releaseBlock();
    this.canonCount = store.count;
    this.initCount = prefix.initCount;
    this.generated = prefix.generated;
    this.depth = prefix.depth;
    this.graph = prefix.graph;
  }

  private stats(): SearchStats {
    const ms = Math.round(performance.now() - this.started);
    const stats = { distinctStates: this.canonCount, generatedStates: this.generated, depth: this.depth, ms };
    return withMemory(stats, this.bytes + (this.graph?.bytes ?? 0));
  }

  /**
   * Bytes of shared and coordinator memory in use for the states: the shared per-slot buffers, the
   * slot-to-canonical map a trace or the state graph needs (four bytes a slot), the table.
   */
  get bytes(): number {
    const { states } = this;
    return (
      states.bytes(this.canonCount) +
      states.used * 4 +
      this.table.byteLength +
      this.bridge.bytes +
      this.order.byteLength +
      this.starts.byteLength
    );
  }

  /** Expands heads [from, to) (depth `level`); returns a verdict when the search stops in it. */
  private async level(
    round: (r: Round) => Promise<RoundReport[]>,
    threads: WorkerPool | undefined,
    from: number,
    to: number,
    level: number,
  ): Promise<Verdict | undefined> {
    const { states } = this;
    if (threads) Atomics.store(states.meta, WANTED, 1);
    const levelSlot = states.used;
    const adversarial = this.options.adversarial === true;
    const chunk = adversarial ? 1 : Math.max(16, Math.min(512, Math.ceil((to - from) / (this.options.workers * 32))));
    let ranges: [number, number][] = [];
    for (let h = from; h < to; h += chunk) ranges.push([h, Math.min(to, h + chunk)]);
    const events: StopEvent[] = [];
    while (ranges.length > 0) {
      await this.growTable(threads);
      ensureShared(states.buffers.work, ranges.length * 8);
      ranges.forEach(([a, b], i) => {
        states.work[i * 2] = a;
        states.work[i * 2 + 1] = b;
      });
      Atomics.store(states.meta, RANGES, ranges.length);
      Atomics.store(states.meta, NEXT_RANGE, 0);
      Atomics.store(states.meta, PAUSE, 0);
      const pauseAt = Math.floor(this.tableSlots * 0.75);
      const reports = await round({ table: this.table, levelSlot, pauseAt, reverse: adversarial });
      const claimed = Math.min(Atomics.load(states.meta, NEXT_RANGE), ranges.length);
      const redo = reports.flatMap((r) => r.redo);
      for (const r of reports) {
        events.push(...r.events);
        this.edgeChunks.push(...r.edges);
      }
      const unclaimed = adversarial ? ranges.slice(0, ranges.length - claimed) : ranges.slice(claimed);
      ranges = [...redo, ...unclaimed];
    }
    const before = { count: this.canonCount, generated: this.generated };
    const order = this.number(levelSlot, from, to);
    if (events.length > 0) return this.firstStop(events, order, from, level, before);
    for (let h = from; h < to; h++) this.generated += states.generated[h] as number;
    if (order.length > 0) this.depth = level + 1;
    return undefined;
  }

  /**
   * Numbers the level's new states (slots from `levelSlot`) in one worker's order: by head, then
   * ordinal. Returns them in that order (a view of scratch memory, valid until the next level).
   */
  private number(levelSlot: number, from: number, to: number): Int32Array {
    const { states } = this;
    const end = states.used;
    const heads = to - from;
    if (this.starts.length < heads + 1) this.starts = new Int32Array(2 * (heads + 1));
    const starts = this.starts.fill(0, 0, heads + 1);
    let live = 0;
    for (let s = levelSlot; s < end; s++) {
      if (states.dead(s)) continue;
      (starts[states.head(s) - from + 1] as number)++;
      live++;
    }
    for (let i = 1; i <= heads; i++) (starts[i] as number) += starts[i - 1] as number;
    if (this.order.length < live) this.order = new Int32Array(2 * live);
    const order = this.order.subarray(0, live);
    // `starts[b]` moves up to the end of head b's states as they are placed: one head's
    // range is then [starts[b - 1], starts[b]) with starts[-1] = 0.
    for (let s = levelSlot; s < end; s++) {
      if (!states.dead(s)) order[(starts[states.head(s) - from] as number)++] = s;
    }
    // Within one head, by successor ordinal (a few states each: insertion sort).
    for (let b = 0; b < heads; b++) {
      const first = b === 0 ? 0 : (starts[b - 1] as number);
      for (let i = first + 1; i < (starts[b] as number); i++) {
        const s = order[i] as number;
        const o = states.ordinal(s);
        let j = i - 1;
        for (; j >= first && states.ordinal(order[j] as number) > o; j--) order[j + 1] = order[j] as number;
        order[j + 1] = s;
      }
    }
    states.canonSlots.set(order, this.canonCount);
    this.canonCount += live;
    return order;
  }

  /** Slot to canonical index, for traces and the state graph (built when first needed). */
  private slotCanon(): Int32Array {
    const { states } = this;
    const map = new Int32Array(states.used);
    for (let i = 0; i < this.canonCount; i++) map[states.canonSlots[i] as number] = i;
    return map;
  }

  /** The verdict at the first stopping event in one worker's order, with that worker's counts. */
  private firstStop(
    events: readonly StopEvent[],
    order: Int32Array,
    from: number,
    level: number,
    before: { count: number; generated: number },
  ): Verdict {
    const { states } = this;
    const keyAt = (slot: number): [number, number] => [states.head(slot), states.ordinal(slot) + 1];
    const at = (e: StopEvent): [number, number] => (e.slot === undefined ? [e.head, e.generated] : keyAt(e.slot));
    const earlier = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    let first = events[0] as StopEvent;
    for (const e of events) if (earlier(at(e), at(first))) first = e;
    const [head, gen] = at(first);
    let generated = before.generated + gen;
    for (let h = from; h < head; h++) generated += states.generated[h] as number;
    let found = 0;
    while (found < order.length && !earlier([head, gen], keyAt(order[found] as number))) found++;
    const distinct = before.count + found;
    const ms = Math.round(performance.now() - this.started);
    const depth = found > 0 ? level + 1 : level;
    const stats = withMemory({ distinctStates: distinct, generatedStates: generated, depth, ms }, this.bytes);
    const search = this.search();
    const vars = this.cm.varNames;
    if (first.kind === "evaluation") {
      return {
        kind: "violated",
        stats,
        property: "evaluation",
        propertyKind: "evaluation",
        message: first.message,
        trace: { vars, steps: [] },
      };
    }
    const index = first.kind === "deadlock" ? head : (this.slotCanon()[first.slot as number] as number);
    return {
      kind: "violated",
      stats,
      property: first.kind === "deadlock" ? "Deadlock" : (first.property ?? "?"),
      propertyKind: first.kind,
      message: first.message,
      trace: traceTo(search, index),
    };
  }

  /**
   * Grows the table fourfold until at most half of it is in use, the threads of `pool` helping to fill
   * the new one. Without a pool it never awaits, so it completes before it returns.
   */
  private async growTable(pool?: WorkerPool): Promise<void> {
    if (this.states.used * 2 <= this.tableSlots) return;
    // Four times at a time: every growth re-enters all states so far, with compare-and-swaps
    // that do not overlap their misses, so fewer and larger steps cost a third less in all.
    const table = this.useTable(this.states.used * 2);
    this.states.startFill();
    const theirs = pool?.rehash(table);
    this.states.fill(table);
    if (theirs) await theirs;
  }

  /** Switches to a new empty table of at least `slots` (growing fourfold), returned to be filled. */
  private useTable(slots: number): SharedArrayBuffer {
    while (slots > this.tableSlots) this.tableSlots *= 4;
    const table = new SharedArrayBuffer(this.tableSlots * 4);
    this.table = table;
    this.states.useTable(table);
    return table;
  }

  private limits(): Verdict | undefined {
    const { maxStates, maxMemoryMiB } = this.options;
    if (maxStates !== undefined && this.canonCount > maxStates) {
      return { kind: "incomplete", stats: this.stats(), reason: `stopped after --max-states ${maxStates}` };
    }
    if (maxMemoryMiB !== undefined && this.bytes / 2 ** 20 > maxMemoryMiB) {
      if (!this.graphWanted && this.options.spill !== false) throw new MemoryBoundReached();
      return { kind: "incomplete", stats: this.stats(), reason: `memory bound of ${maxMemoryMiB} MiB reached` };
    }
    return undefined;
  }

  private progressTimer(): ReturnType<typeof setInterval> {
    const { onProgress, progressEveryMs } = this.options;
    return setInterval(() => {
      if (!onProgress) return;
      const seconds = (performance.now() - this.started) / 1000;
      const distinct = this.states.used;
      const memoryMiB = this.bytes / 2 ** 20;
      onProgress({ distinct, queue: distinct - this.canonCount, perSecond: Math.round(distinct / seconds), memoryMiB });
    }, progressEveryMs ?? 1000);
  }

  /** The coordinator's view of the numbered states, for traces and the liveness phase. */
  private search(graph?: StateGraph): Search {
    const { states, bridge, cm } = this;
    const width = cm.layout.width;
    const scratch = new Int32Array(cm.layout.length);
    const store = {
      count: this.canonCount,
      read(index: number, out: Int32Array): void {
        states.readSlot(states.canonSlots[index] as number, out);
        for (let i = 0; i < width; i++) out[i] = bridge.local(out[i] as number);
      },
      parent: (index: number): number =>
        index < this.initCount ? -1 : states.head(states.canonSlots[index] as number),
    };
    const decode = (index: number): Value[] => {
      store.read(index, scratch);
      cm.layout.reset(scratch);
      return cm.varNames.map((_, i) => cm.layout.value(scratch, i));
    };
    return { cm, store, ...(graph ? { graph } : {}), decode };
  }

  /** The temporal properties on the recorded graph (one thread, after the search). */
  private temporal(): Verdict {
    if (!this.graphWanted) return { kind: "holds", stats: this.stats() };
    const graph = this.buildGraph();
    this.graph = graph;
    const search = this.search(graph);
    const temporal = this.model.properties.filter(
      (p) => p.kind !== "always" && (!this.options.properties || this.options.properties.includes(p.name)),
    );
    try {
      for (const property of temporal) {
        const lasso = checkTemporal(search, graph, property);
        if (lasso) {
          return {
            kind: "violated",
            stats: this.stats(),
            property: property.name,
            propertyKind: "temporal",
            message: `Temporal property ${property.name} is violated.`,
            trace: lasso,
          };
        }
      }
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      const trace = { vars: this.cm.varNames, steps: [] };
      const stats = this.stats();
      return {
        kind: "violated",
        stats,
        property: "evaluation",
        propertyKind: "evaluation",
        message: error.message,
        trace,
      };
    }
    return { kind: "holds", stats: this.stats() };
  }

  private buildGraph(): StateGraph {
    // A one-worker prefix's graph already holds the edges of the states it expanded.
    const graph = this.graph ?? new StateGraph();
    const slotCanon = this.slotCanon();
    const chunks = [...this.edgeChunks].sort((a, b) => a.from - b.from);
    let h = graph.closed;
    for (const { from, to, data } of chunks) {
      if (from === to) continue;
      if (from !== h) throw new Error(`parallel check: edges of states ${h}..${from} missing`);
      let e = 0;
      for (; h < to; h++) {
        for (; e < data.length && data[e] === h; e += 3) {
          graph.edge(h, slotCanon[data[e + 1] as number] as number, data[e + 2] as number);
        }
        graph.close(h);
      }
    }
    return graph;
  }
}
