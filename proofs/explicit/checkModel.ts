/**
 * Breadth-first explicit-state model checking, counted the way TLC counts: distinct states,
 * states generated (initial states plus every successor, duplicates included) and depth. Checks
 * TypeOK and the invariants on every new state, deadlock (a state without successors) when the
 * model asks for it, then temporal properties on the recorded state graph.
 */
import type { Model, Value } from "../../models/index.js";
import { ModelEvalError } from "./compile.js";
import { Expander } from "./Expander.js";
import { FlatShapeError } from "./Layout.js";
import { checkTemporal } from "./liveness.js";
import { StateGraph } from "./StateGraph.js";
import { StateStore } from "./StateStore.js";
import { compileSearchModel, expandIdClauses, type SearchModel } from "./searchModel.js";
import { MemoryBoundReached, searchOnDisk } from "./searchOnDisk.js";
import { slotHash } from "./slotHash.js";
import { canonical, IdPermutation, permutations } from "./symmetry.js";
import { traceTo } from "./traceTo.js";
import { type SearchStats, type Verdict, withMemory } from "./Verdict.js";

// A module-local copy: under tsx's transform every use of an imported binding is a getter call.
const expand = expandIdClauses;

export interface CheckOptions {
  readonly constants?: ReadonlyMap<string, Value>;
  readonly maxStates?: number;
  /**
   * Bound on the checker's own tables, in MiB: past it the search continues with its queue and
   * fingerprint set on disk (`searchOnDisk.ts`), or stops incomplete when `spill` is false or the
   * run needs the state graph (temporal properties) or symmetry.
   */
  readonly maxMemoryMiB?: number;
  readonly spill?: boolean;
  /** Overrides the model's deadlock setting (TLC `-deadlock` turns it off). */
  readonly checkDeadlock?: boolean;
  /** Which temporal properties to check; default all. */
  readonly properties?: readonly string[];
  readonly onProgress?: (p: Progress) => void;
  /** Least time between two progress reports, in ms (default 1000). */
  readonly progressEveryMs?: number;
  /** Receives every transition of the reachable state graph after a complete search (for diagrams). */
  readonly onTransition?: (from: readonly Value[], action: string, to: readonly Value[]) => void;
  /** Use the model's symmetry set (default true; always off when temporal properties are checked). */
  readonly symmetry?: boolean;
}

/** A progress report: distinct states, states still to expand, rate, and memory and disk in use. */
export interface Progress {
  readonly distinct: number;
  readonly queue: number;
  readonly perSecond: number;
  readonly memoryMiB?: number;
  readonly diskMiB?: number;
}

/** The search state shared with the liveness phase and trace reconstruction. */
export interface Search {
  readonly cm: SearchModel;
  readonly store: Pick<StateStore, "count" | "read" | "parent">;
  readonly graph?: StateGraph;
  /** Decodes state `index` into values. */
  decode(index: number): Value[];
}

export function checkModel(model: Model, options: CheckOptions = {}): Verdict {
  const started = performance.now();
  const needsGraph =
    model.properties.some((p) => p.kind !== "always" && (!options.properties || options.properties.includes(p.name))) ||
    options.onTransition !== undefined;
  // Symmetry permutes whole values, so it keeps one slot per variable.
  const flatten = !symmetryWanted(model, options, needsGraph);
  const attempt = (flat: boolean): Verdict => {
    try {
      return runSearch(model, options, started, flat);
    } catch (error) {
      // Past --max-memory: the search starts again with its queue and fingerprint set on disk.
      if (error instanceof MemoryBoundReached) return searchOnDisk(model, options, started, flat);
      throw error;
    }
  };
  try {
    return attempt(flatten);
  } catch (error) {
    // A value that does not fit the flat shape (a model outside its TypeOK): search again unflattened.
    if (error instanceof FlatShapeError && flatten) return attempt(false);
    throw error;
  }
}

/**
 * A one-worker search stopped at a level boundary, for the parallel search to go on from: states
 * [0, levelStart) are expanded (their edges in `graph`, when kept), [levelStart, store.count) are
 * the next level, all found.
 */
export interface Prefix {
  readonly store: StateStore;
  readonly levelStart: number;
  /** Initial states: the first `initCount` indices. */
  readonly initCount: number;
  readonly generated: number;
  readonly depth: number;
  readonly graph: StateGraph | undefined;
}

/** Where a one-worker search hands over: the compiled model to search with, and the size. */
export interface HandOver {
  readonly cm: SearchModel;
  /** Stop at the first level boundary with at least this many states. */
  readonly atStates: number;
  /** Called with the state count now and then, so that the caller can get ready. */
  readonly onStates?: (count: number) => void;
}

/**
 * The one-worker search, flat, without symmetry, up to `handOver.atStates`: its prefix, or its
 * verdict when it ends (or stops) first. It raises `MemoryBoundReached` past --max-memory.
 */
export function checkModelPrefix(model: Model, options: CheckOptions, handOver: HandOver): Verdict | Prefix {
  return runSearch(model, options, performance.now(), true, handOver);
}

/** The search with its queue and fingerprint set on disk from the start (a parallel run past --max-memory). */
export function checkModelOnDisk(model: Model, options: CheckOptions): Verdict {
  const started = performance.now();
  try {
    return searchOnDisk(model, options, started, true);
  } catch (error) {
    if (error instanceof FlatShapeError) return searchOnDisk(model, options, started, false);
    throw error;
  }
}

function runSearch(model: Model, options: CheckOptions, started: number, flatten: boolean): Verdict;
function runSearch(
  model: Model,
  options: CheckOptions,
  started: number,
  flatten: boolean,
  handOver: HandOver,
): Verdict | Prefix;
function runSearch(
  model: Model,
  options: CheckOptions,
  started: number,
  flatten: boolean,
  handOver?: HandOver,
): Verdict | Prefix {
  const cm = handOver?.cm ?? compileSearchModel(model, options.constants, flatten);
  const { table, layout } = cm;
  const width = layout.length;
  const store = new StateStore(layout.width);
  const selected = model.properties.filter((p) => !options.properties || options.properties.includes(p.name));
  // `[]P` for a state predicate P is checked on the fly, as TLC does, so it stops at the first bad state.
  const safety = selected.flatMap((p) => (p.kind === "always" ? [{ name: p.name, test: cm.predicate(p.p) }] : []));
  const temporal = selected.filter((p) => p.kind !== "always");
  const graph = temporal.length > 0 || options.onTransition ? new StateGraph() : undefined;
  const scratch = new Int32Array(width);
  const decode = (index: number): Value[] => {
    store.read(index, scratch);
    layout.reset(scratch);
    return cm.varNames.map((_, i) => layout.value(scratch, i));
  };
  const search: Search = { cm, store, ...(graph ? { graph } : {}), decode };
  const ctx = cm.newCtx();
  const deadlock = options.checkDeadlock ?? model.checkDeadlock;
  let generated = 0;
  let depth = 0;
  let levelEnd = 0;
  /** Breadth-first level of the state being expanded (0 while generating initial states). */
  let headLevel = 0;
  let lastProgress = started;
  const stats = (): SearchStats =>
    withMemory(
      { distinctStates: store.count, generatedStates: generated, depth, ms: Math.round(performance.now() - started) },
      store.bytes + (graph?.bytes ?? 0) + cm.memoBytes(),
    );
  const perms = symmetryPermutations(model, cm, options, temporal.length > 0 || options.onTransition !== undefined);
  /** The state being expanded, and the successor being built from it. */
  const current = new Int32Array(width);
  const next = new Int32Array(width);
  const canon = new Int32Array(width);
  const permuted = new Int32Array(width);
  const invariants = cm.invariants;
  const check = cm.check;
  const stored = layout.width;
  /** `store.hash` of the state being expanded, as stored. */
  let headHash = 0;

  /** Adds `next`, checks it; returns a verdict to stop with (`changed`, `delta`: see `Offer`). */
  const offer = (parent: number, action: number, changed?: number, delta?: number): Verdict | undefined => {
    generated++;
    ctx.s = next;
    try {
      if (cm.constraint && !table.truth(cm.constraint(ctx))) return undefined;
      let vec = next;
      let stutter = parent >= 0;
      let sum = headHash;
      if (perms) {
        canonical(next, perms, canon, permuted);
        vec = canon;
        stutter &&= sameSlots(vec, current, stored);
        if (!stutter) sum = store.hash(vec);
      } else if (!stutter) sum = store.hash(vec);
      else if (changed !== undefined) {
        // Generated code compared the slots it may write, and summed their hashes' change.
        stutter = changed === 0;
        sum = (sum + (delta as number)) | 0;
      } else {
        // One pass finds whether the step changed anything (a third of TwoPhase's do not: the
        // parent, no table probe) and the successor's hash from the parent's.
        for (let i = 0; i < stored; i++) {
          const x = vec[i] as number;
          const y = current[i] as number;
          if (x !== y) {
            stutter = false;
            sum = (sum + slotHash(i, x) - slotHash(i, y)) | 0;
          }
        }
      }
      const index = stutter ? parent : store.add(vec, parent, sum);
      graph?.edge(parent, index, action);
      if (stutter || !store.added) return undefined;
      depth = Math.max(depth, headLevel + 1);
      const bad = check(ctx);
      if (bad >= 0) {
        const name = invariants[bad]?.name ?? "?";
        return violated(search, stats(), name, "invariant", `Invariant ${name} is violated.`, index);
      }
      for (const prop of safety) {
        if (!table.truth(prop.test(ctx))) {
          return violated(search, stats(), prop.name, "invariant", `Safety property ${prop.name} is violated.`, index);
        }
      }
      return undefined;
    } finally {
      ctx.s = current;
    }
  };

  try {
    // Initial states: every combination of the Init clauses.
    let stop: Verdict | undefined;
    ctx.s = current;
    layout.reset(current);
    layout.reset(next);
    expand(cm.init, table, ctx, next, () => {
      stop ??= offer(-1, -1);
    });
    if (stop) return stop;
    levelEnd = store.count;
    const initCount = store.count;
    if (handOver && store.count >= handOver.atStates) {
      return { store, levelStart: 0, initCount, generated, depth, graph };
    }
    headLevel = 1;
    const expander = new Expander(cm, ctx, current, next, offer);
    for (let head = 0; head < store.count; head++) {
      if (head === levelEnd) {
        if (handOver && store.count >= handOver.atStates) {
          return { store, levelStart: head, initCount, generated, depth, graph };
        }
        headLevel++;
        levelEnd = store.count;
      }
      store.read(head, current);
      headHash = store.hashOf(head);
      layout.reset(current);
      ctx.s = current;
      const before = generated;
      stop = expander.expand(head);
      if (stop) return stop;
      if (deadlock && generated === before) {
        return violated(search, stats(), "Deadlock", "deadlock", "Deadlock reached.", head);
      }
      graph?.close(head);
      if (options.maxStates !== undefined && store.count > options.maxStates) {
        return { kind: "incomplete", stats: stats(), reason: `stopped after --max-states ${options.maxStates}` };
      }
      if ((head & 0x3fff) === 0) {
        handOver?.onStates?.(store.count);
        const now = performance.now();
        const mib = (store.bytes + (graph?.bytes ?? 0) + cm.memoBytes()) / 2 ** 20;
        if (options.maxMemoryMiB !== undefined && mib > options.maxMemoryMiB) {
          // The disk search keeps neither the state graph nor symmetry's canonical forms.
          if (!graph && !perms && options.spill !== false) throw new MemoryBoundReached();
          return { kind: "incomplete", stats: stats(), reason: `memory bound of ${options.maxMemoryMiB} MiB reached` };
        }
        if (options.onProgress && now - lastProgress >= (options.progressEveryMs ?? 1000)) {
          lastProgress = now;
          options.onProgress({
            distinct: store.count,
            queue: store.count - head,
            perSecond: Math.round(store.count / ((now - started) / 1000)),
            memoryMiB: mib,
          });
        }
      }
    }
    if (graph && options.onTransition) reportTransitions(search, graph, options.onTransition);
    if (graph) {
      for (const property of temporal) {
        const lasso = checkTemporal(search, graph, property);
        if (lasso) {
          return {
            kind: "violated",
            stats: stats(),
            property: property.name,
            propertyKind: "temporal",
            message: `Temporal property ${property.name} is violated.`,
            trace: lasso,
          };
        }
      }
    }
    return { kind: "holds", stats: stats() };
  } catch (error) {
    if (!(error instanceof ModelEvalError)) throw error;
    return {
      kind: "violated",
      stats: stats(),
      property: "evaluation",
      propertyKind: "evaluation",
      message: error.message,
      trace: { vars: cm.varNames, steps: [] },
    };
  }
}

/** Whether the first `n` slots of `a` and `b` are equal. */
function sameSlots(a: Int32Array, b: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function violated(
  search: Search,
  stats: SearchStats,
  property: string,
  propertyKind: "invariant" | "deadlock",
  message: string,
  index: number,
): Verdict {
  return { kind: "violated", stats, property, propertyKind, message, trace: traceTo(search, index) };
}

/** The permutations of the model's symmetry set, unless symmetry is off or unsound for the run. */
function symmetryWanted(model: Model, options: CheckOptions, needsGraph: boolean): boolean {
  return model.symmetry !== undefined && options.symmetry !== false && !needsGraph;
}

function symmetryPermutations(
  model: Model,
  cm: SearchModel,
  options: CheckOptions,
  needsGraph: boolean,
): IdPermutation[] | undefined {
  if (!symmetryWanted(model, options, needsGraph) || !model.symmetry) return undefined;
  const value = options.constants?.get(model.symmetry) ?? model.constants.find((c) => c.name === model.symmetry)?.value;
  if (typeof value !== "object" || value.kind !== "set" || !value.elems.every((e) => typeof e === "string")) {
    throw new Error(`${cm.model.name}: symmetry set ${model.symmetry} must be a set of model values`);
  }
  return permutations(value.elems as string[]).map((p) => new IdPermutation(p, cm.table));
}

function reportTransitions(search: Search, graph: StateGraph, visit: NonNullable<CheckOptions["onTransition"]>): void {
  for (let s = 0; s < search.store.count; s++) {
    const from = search.decode(s);
    graph.forEach(s, (t, label) => {
      visit(from, search.cm.actions[label >>> 16]?.name ?? "?", search.decode(t));
    });
  }
}
