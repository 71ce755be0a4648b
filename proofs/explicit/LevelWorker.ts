/**
 * One thread's part of a parallel breadth-first level: claims ranges of heads (canonical indices
 * of the level's states), expands each with the model compiled in this thread, and adds the
 * successors to the shared state set. New states are checked here (TypeOK, invariants, `[]P`
 * properties); what would stop a one-worker search (a violation, an evaluation error, a
 * deadlock) is reported with its position (head, successors generated so far), and the
 * coordinator picks the first in one worker's order. Heads past the first such position are
 * skipped: one worker never reaches them.
 */
import type { Model, Value } from "../../models/index.js";
import { ModelEvalError } from "./compile.js";
import type { IdCtx } from "./compileIds.js";
import { Expander } from "./Expander.js";
import { NEXT_RANGE, PAUSE, RANGES, READY, type SharedStateBuffers, SharedStates, STOP_AT } from "./SharedStates.js";
import { type SharedValueBuffers, ValueBridge } from "./SharedValues.js";
import type { Offer } from "./searchCode.js";
import { compileSearchModel, type SearchModel } from "./searchModel.js";
import { slotHash } from "./slotHash.js";

export interface WorkerSetup {
  readonly model: Model;
  readonly constants: ReadonlyMap<string, Value>;
  readonly flatten: boolean;
  readonly properties: readonly string[] | undefined;
  readonly deadlock: boolean;
  readonly graph: boolean;
  readonly states: SharedStateBuffers;
  readonly values: SharedValueBuffers;
  /** Slots whose pages a thread commits while it waits for its first round (`prefault`). */
  readonly prefaultSlots: number;
}

export interface Round {
  readonly table: SharedArrayBuffer;
  /** First slot of the level being built: states at or past it are new in this level. */
  readonly levelSlot: number;
  /** Pause (return the rest of a range) once this many slots are in use. */
  readonly pauseAt: number;
  /** Claim ranges last first (tests: later heads reach states before earlier ones). */
  readonly reverse: boolean;
}

/** Something that stops a one-worker search, at (head, successors of head generated so far). */
export interface StopEvent {
  readonly kind: "invariant" | "deadlock" | "evaluation";
  /** The new state, for an invariant violation or an error while checking it. */
  readonly slot?: number;
  readonly head: number;
  readonly generated: number;
  readonly property?: string;
  readonly message: string;
}

export interface RoundReport {
  readonly events: StopEvent[];
  /** Head ranges left undone by a pause. */
  readonly redo: [number, number][];
  /** Edges (head, target slot, label) of the heads expanded, per completed range. */
  readonly edges: { from: number; to: number; data: Int32Array }[];
}

export class LevelWorker {
  private readonly cm: SearchModel;
  private readonly ctx: IdCtx;
  private readonly bridge: ValueBridge;
  private readonly states: SharedStates;
  private readonly current: Int32Array;
  private readonly next: Int32Array;
  /** The successor in global ids (the head's, but for the slots a step changed). */
  private readonly global: Int32Array;
  /** The head being expanded in global ids, and its hash. */
  private readonly globalHead: Int32Array;
  private headHash = 0;
  private readonly expander: Expander<number>;
  private readonly safety: { name: string; test: (ctx: IdCtx) => number }[];
  private gen = 0;
  private head = 0;
  private levelSlot = 0;
  private events: StopEvent[] = [];
  private edges = new Int32Array(1024);
  private edgeCount = 0;

  /** `own`: the coordinator's compiled model and bridge, when it expands a level itself. */
  constructor(
    private readonly setup: WorkerSetup,
    own?: { readonly cm: SearchModel; readonly bridge: ValueBridge },
  ) {
    const cm = own?.cm ?? compileSearchModel(setup.model, setup.constants, setup.flatten);
    this.cm = cm;
    // Every thread's ids below the base must be the same: a fresh compilation has exactly those.
    if (!own && cm.table.values.length !== setup.values.base) {
      throw new Error(
        `parallel check: model compiled to ${cm.table.values.length} values, expected ${setup.values.base}`,
      );
    }
    this.bridge = own?.bridge ?? new ValueBridge(setup.values, cm.table);
    this.states = new SharedStates(setup.states, cm.layout.width);
    this.ctx = cm.newCtx();
    this.current = new Int32Array(cm.layout.length);
    this.next = new Int32Array(cm.layout.length);
    this.global = new Int32Array(cm.layout.width);
    this.globalHead = new Int32Array(cm.layout.width);
    const selected = setup.model.properties.filter((p) => !setup.properties || setup.properties.includes(p.name));
    this.safety = selected.flatMap((p) => (p.kind === "always" ? [{ name: p.name, test: cm.predicate(p.p) }] : []));
    this.expander = new Expander(this.cm, this.ctx, this.current, this.next, this.offer);
    if (!own) Atomics.add(this.states.meta, READY, 1);
  }

  /** Commits the shared buffers' first pages while the coordinator does not need this thread. */
  prefault(): void {
    this.states.prefault(this.setup.prefaultSlots);
  }

  /** Takes its share of entering the states into a new, larger table. */
  rehash(table: SharedArrayBuffer): void {
    this.states.fill(table);
  }

  /** Claims and expands ranges until none is left (or a pause). */
  run(round: Round): RoundReport {
    this.states.useTable(round.table);
    this.levelSlot = round.levelSlot;
    this.events = [];
    const redo: [number, number][] = [];
    const edges: RoundReport["edges"] = [];
    const meta = this.states.meta;
    const work = this.states.work;
    const ranges = Atomics.load(meta, RANGES);
    for (;;) {
      if (Atomics.load(meta, PAUSE) !== 0) break;
      const claimed = Atomics.add(meta, NEXT_RANGE, 1);
      if (claimed >= ranges) break;
      const r = round.reverse ? ranges - 1 - claimed : claimed;
      const from = work[r * 2] as number;
      const to = work[r * 2 + 1] as number;
      this.edgeCount = 0;
      let h = from;
      for (; h < to; h++) {
        if (h > Atomics.load(meta, STOP_AT)) break;
        if (Atomics.load(meta, PAUSE) !== 0 || this.states.used >= round.pauseAt) {
          Atomics.store(meta, PAUSE, 1);
          redo.push([h, to]);
          break;
        }
        this.expand(h);
      }
      if (this.setup.graph) edges.push({ from, to: h, data: this.edges.slice(0, this.edgeCount * 3) });
    }
    this.states.releaseBlock();
    return { events: this.events, redo, edges };
  }

  private expand(h: number): void {
    const { states, bridge, current, cm } = this;
    const slot = states.canonSlots[h] as number;
    this.headHash = states.hashAt(slot);
    const g = this.globalHead;
    states.readSlot(slot, g);
    const global = this.global;
    for (let i = 0; i < states.width; i++) {
      const x = g[i] as number;
      global[i] = x;
      current[i] = bridge.local(x);
    }
    cm.layout.reset(current);
    this.ctx.s = current;
    this.head = h;
    this.gen = 0;
    try {
      this.expander.expand(h);
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      this.stop({ kind: "evaluation", head: h, generated: this.gen, message: error.message });
    }
    states.generated[h] = this.gen;
    if (this.setup.deadlock && this.gen === 0) {
      this.stop({ kind: "deadlock", head: h, generated: 0, message: "Deadlock reached." });
    }
  }

  private stop(event: StopEvent): void {
    this.events.push(event);
    const meta = this.states.meta;
    let cur = Atomics.load(meta, STOP_AT);
    while (event.head < cur) {
      const seen = Atomics.compareExchange(meta, STOP_AT, cur, event.head);
      if (seen === cur) break;
      cur = seen;
    }
  }

  /**
   * Handles the successor in `next`; returns 1 to stop expanding the head. Generated code says
   * whether the step changed a stored slot and which slots it may have written (`Offer`): only
   * those are compared, translated to global ids and rehashed; otherwise every slot is. When
   * every changed slot's id is the same locally and globally (ids below the shared base, the
   * model's own values), the hash's change is the generated code's `delta`. An arrow function
   * the expander calls directly, without a wrapper between.
   */
  private readonly offer: Offer<number> = (_parent, label, changed, delta, written) => {
    const ordinal = this.gen++;
    const { ctx, cm, next, current, states } = this;
    ctx.s = next;
    try {
      if (cm.constraint && !cm.table.truth(cm.constraint(ctx))) return undefined;
      if (changed === 0) {
        this.edge(states.canonSlots[this.head] as number, label);
        return undefined;
      }
      // `global` holds the head in global ids between successors: the successor's differing
      // slots are written into it, and put back after the lookup.
      const g = this.global;
      const gh = this.globalHead;
      let stutter = true;
      let same = delta !== undefined;
      const n = written ? written.length : states.width;
      for (let j = 0; j < n; j++) {
        const i = written ? (written[j] as number) : j;
        const y = next[i] as number;
        if (y === current[i]) continue;
        stutter = false;
        const x = this.bridge.global(y);
        g[i] = x;
        if (x !== y || gh[i] !== current[i]) same = false;
      }
      if (stutter) {
        this.edge(states.canonSlots[this.head] as number, label);
        return undefined;
      }
      let h = this.headHash;
      if (same) h = (h + (delta as number)) | 0;
      else {
        for (let j = 0; j < n; j++) {
          const i = written ? (written[j] as number) : j;
          if (next[i] !== current[i]) h = (h + slotHash(i, g[i] as number) - slotHash(i, gh[i] as number)) | 0;
        }
      }
      const slot = states.add(g, h, this.head, ordinal);
      for (let j = 0; j < n; j++) {
        const i = written ? (written[j] as number) : j;
        g[i] = gh[i] as number;
      }
      this.edge(slot, label);
      if (!states.added) {
        if (slot >= this.levelSlot) states.lowerKey(slot, this.head, ordinal);
        return undefined;
      }
      return this.checkNew(slot);
    } finally {
      ctx.s = current;
    }
  };

  private checkNew(slot: number): number | undefined {
    const { cm, ctx } = this;
    const at = { slot, head: this.head, generated: this.gen };
    try {
      const bad = cm.check(ctx);
      if (bad >= 0) {
        const name = cm.invariants[bad]?.name ?? "?";
        this.stop({ kind: "invariant", ...at, property: name, message: `Invariant ${name} is violated.` });
        return 1;
      }
      for (const prop of this.safety) {
        if (!cm.table.truth(prop.test(ctx))) {
          const message = `Safety property ${prop.name} is violated.`;
          this.stop({ kind: "invariant", ...at, property: prop.name, message });
          return 1;
        }
      }
    } catch (error) {
      if (!(error instanceof ModelEvalError)) throw error;
      this.stop({ kind: "evaluation", ...at, message: error.message });
      return 1;
    }
    return undefined;
  }

  private edge(target: number, label: number): void {
    if (!this.setup.graph) return;
    if ((this.edgeCount + 1) * 3 > this.edges.length) {
      const bigger = new Int32Array(this.edges.length * 2);
      bigger.set(this.edges);
      this.edges = bigger;
    }
    const at = this.edgeCount++ * 3;
    this.edges[at] = this.head;
    this.edges[at + 1] = target;
    this.edges[at + 2] = label;
  }
}
