/**
 * Breadth-first explicit-state model checking, counted the way TLC counts: distinct states,
 * states generated (initial states plus every successor, duplicates included) and depth. Checks
 * TypeOK and the invariants on every new state, deadlock (a state without successors) when the
 * model asks for it, then temporal properties on the recorded state graph.
 */
import type { Model, Value } from "../../models/index.js";
import { bool, type Ctx, ModelEvalError } from "./compile.js";
import { type CompiledModel, compileModel, expandClauses } from "./compileModel.js";
import { checkTemporal } from "./liveness.js";
import { StateGraph } from "./StateGraph.js";
import { StateStore } from "./StateStore.js";
import { canonical, type Permutation, permutations } from "./symmetry.js";
import { traceTo } from "./traceTo.js";
import { ValueTable } from "./ValueTable.js";
import type { SearchStats, Verdict } from "./Verdict.js";

export interface CheckOptions {
  readonly constants?: ReadonlyMap<string, Value>;
  readonly maxStates?: number;
  /** Bound on the checker's own tables, in MiB. */
  readonly maxMemoryMiB?: number;
  /** Overrides the model's deadlock setting (TLC `-deadlock` turns it off). */
  readonly checkDeadlock?: boolean;
  /** Which temporal properties to check; default all. */
  readonly properties?: readonly string[];
  readonly onProgress?: (p: { distinct: number; queue: number; perSecond: number }) => void;
  /** Receives every transition of the reachable state graph after a complete search (for diagrams). */
  readonly onTransition?: (from: readonly Value[], action: string, to: readonly Value[]) => void;
  /** Use the model's symmetry set (default true; always off when temporal properties are checked). */
  readonly symmetry?: boolean;
}

/** The search state shared with the liveness phase and trace reconstruction. */
export interface Search {
  readonly cm: CompiledModel;
  readonly values: ValueTable;
  readonly store: StateStore;
  readonly graph?: StateGraph;
  /** Decodes state `index` into values. */
  decode(index: number): Value[];
}

export function checkModel(model: Model, options: CheckOptions = {}): Verdict {
  const started = performance.now();
  const cm = compileModel(model, options.constants);
  const values = new ValueTable();
  const width = cm.varNames.length;
  const store = new StateStore(width);
  const selected = model.properties.filter((p) => !options.properties || options.properties.includes(p.name));
  // `[]P` for a state predicate P is checked on the fly, as TLC does, so it stops at the first bad state.
  const safety = selected.flatMap((p) => (p.kind === "always" ? [{ name: p.name, test: cm.predicate(p.p) }] : []));
  const temporal = selected.filter((p) => p.kind !== "always");
  const graph = temporal.length > 0 || options.onTransition ? new StateGraph() : undefined;
  const scratch = new Int32Array(width);
  const decode = (index: number): Value[] => {
    store.read(index, scratch);
    return Array.from(scratch, (id) => values.values[id] as Value);
  };
  const search: Search = { cm, values, store, ...(graph ? { graph } : {}), decode };
  const ctx = cm.newCtx();
  const deadlock = options.checkDeadlock ?? model.checkDeadlock;
  let generated = 0;
  let depth = 0;
  let levelEnd = 0;
  /** Breadth-first level of the state being expanded (0 while generating initial states). */
  let headLevel = 0;
  let lastProgress = started;
  const stats = (): SearchStats => ({
    distinctStates: store.count,
    generatedStates: generated,
    depth,
    ms: Math.round(performance.now() - started),
  });
  const vec = new Int32Array(width);
  const perms = symmetryPermutations(model, cm, options, temporal.length > 0 || options.onTransition !== undefined);
  const next: Value[] = new Array(width);
  /** The state being expanded: its values and their ids. */
  const current: Value[] = new Array(width);
  const headIds = new Int32Array(width);

  /** Interns `next`, adds it, checks it; returns a verdict to stop with. */
  const offer = (parent: number, action: number): Verdict | undefined => {
    generated++;
    ctx.s = next;
    if (cm.constraint && !bool(cm.constraint(ctx))) return undefined;
    if (perms) canonical(next, perms, values, vec);
    else {
      // A variable the step left unchanged keeps its id: no hashing.
      for (let i = 0; i < width; i++) {
        const v = next[i] as Value;
        vec[i] = v === current[i] && parent >= 0 ? (headIds[i] as number) : values.intern(v);
      }
    }
    const { index, added } = store.add(vec, parent, action);
    graph?.edge(parent, index, action);
    if (!added) return undefined;
    depth = Math.max(depth, headLevel + 1);
    for (const inv of cm.invariants) {
      if (!bool(inv.test(ctx))) {
        return violated(search, stats(), inv.name, "invariant", `Invariant ${inv.name} is violated.`, index);
      }
    }
    for (const prop of safety) {
      if (!bool(prop.test(ctx))) {
        return violated(search, stats(), prop.name, "invariant", `Safety property ${prop.name} is violated.`, index);
      }
    }
    return undefined;
  };

  try {
    // Initial states: every combination of the Init clauses.
    let stop: Verdict | undefined;
    ctx.s = [];
    expandClauses(cm.init, ctx, next, () => {
      stop ??= offer(-1, -1);
    });
    if (stop) return stop;
    levelEnd = store.count;
    headLevel = 1;
    for (let head = 0; head < store.count; head++) {
      if (head === levelEnd) {
        headLevel++;
        levelEnd = store.count;
      }
      store.read(head, headIds);
      for (let i = 0; i < width; i++) current[i] = values.values[headIds[i] as number] as Value;
      const before = generated;
      for (let a = 0; a < cm.actions.length && !stop; a++) {
        // Edge labels name the action instance: action index and parameter combination.
        stop = expandAction(cm, a, ctx, current, next, (combo) => offer(head, a * 0x10000 + combo));
      }
      if (stop) return stop;
      if (deadlock && generated === before) {
        return violated(search, stats(), "Deadlock", "deadlock", "Deadlock reached.", head);
      }
      graph?.close(head);
      if (options.maxStates !== undefined && store.count > options.maxStates) {
        return { kind: "incomplete", stats: stats(), reason: `stopped after --max-states ${options.maxStates}` };
      }
      if ((head & 0x3fff) === 0) {
        const now = performance.now();
        const mib = (store.bytes + (graph?.bytes ?? 0)) / 2 ** 20;
        if (options.maxMemoryMiB !== undefined && mib > options.maxMemoryMiB) {
          return { kind: "incomplete", stats: stats(), reason: `memory bound of ${options.maxMemoryMiB} MiB reached` };
        }
        if (options.onProgress && now - lastProgress > 1000) {
          lastProgress = now;
          options.onProgress({
            distinct: store.count,
            queue: store.count - head,
            perSecond: Math.round(store.count / ((now - started) / 1000)),
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

/** Enumerates the successors of `current` under action `a`; stops early when `emit` returns a verdict. */
function expandAction(
  cm: CompiledModel,
  a: number,
  ctx: Ctx,
  current: Value[],
  next: Value[],
  emit: (combo: number) => Verdict | undefined,
): Verdict | undefined {
  const action = cm.actions[a];
  if (!action) return undefined;
  ctx.s = current;
  let stop: Verdict | undefined;
  let combo = -1;
  const bindParam = (p: number): void => {
    if (stop) return;
    if (p === action.paramSets.length) {
      combo++;
      ctx.s = current;
      if (!bool(action.guard(ctx))) return;
      for (let i = 0; i < current.length; i++) next[i] = current[i] as Value;
      expandClauses(action.updates, ctx, next, () => {
        stop ??= emit(combo);
        ctx.s = current;
      });
      return;
    }
    const slot = action.paramSlots[p] as number;
    const set = (action.paramSets[p] as (c: Ctx) => Value)(ctx);
    if (typeof set !== "object" || set.kind !== "set")
      throw new ModelEvalError(`parameter set of ${action.name} is not a set`);
    for (const x of set.elems) {
      ctx.b[slot] = x;
      bindParam(p + 1);
      ctx.s = current;
    }
  };
  bindParam(0);
  return stop;
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
function symmetryPermutations(
  model: Model,
  cm: CompiledModel,
  options: CheckOptions,
  needsGraph: boolean,
): Permutation[] | undefined {
  if (!model.symmetry || options.symmetry === false || needsGraph) return undefined;
  const value = options.constants?.get(model.symmetry) ?? model.constants.find((c) => c.name === model.symmetry)?.value;
  if (typeof value !== "object" || value.kind !== "set" || !value.elems.every((e) => typeof e === "string")) {
    throw new Error(`${cm.model.name}: symmetry set ${model.symmetry} must be a set of model values`);
  }
  return permutations(value.elems as string[]);
}

function reportTransitions(search: Search, graph: StateGraph, visit: NonNullable<CheckOptions["onTransition"]>): void {
  for (let s = 0; s < search.store.count; s++) {
    const from = search.decode(s);
    graph.forEach(s, (t, label) => {
      visit(from, search.cm.actions[label >>> 16]?.name ?? "?", search.decode(t));
    });
  }
}
