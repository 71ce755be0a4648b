/**
 * Temporal properties on the recorded state graph, under the model's weak and strong fairness.
 * A violation is a fair lasso: a path to a strongly connected component in which a behaviour
 * can stay forever while meeting every fairness condition (Emerson–Lei: a component that fails a
 * strong-fairness condition is searched again without the states where that action is enabled).
 * Every state may stutter, as in TLA+, so a single state is a cycle of its own.
 */
import type { TemporalProperty } from "../../models/index.js";
import type { Search } from "./checkModel.js";
import type { StateGraph } from "./StateGraph.js";
import { pathSteps, traceTo } from "./traceTo.js";
import type { Trace } from "./Verdict.js";

interface Fair {
  readonly strong: boolean;
  readonly action: number;
  /** enabled[s] = 1 when the action has a state-changing step from s. */
  readonly enabled: Uint8Array;
}

/** Returns a counterexample to `property`, or undefined when it holds. */
export function checkTemporal(search: Search, graph: StateGraph, property: TemporalProperty): Trace | undefined {
  const n = search.store.count;
  const test = (node: typeof property.p): Uint8Array => {
    const f = search.cm.predicate(node);
    const ctx = search.cm.newCtx();
    const mask = new Uint8Array(n);
    for (let s = 0; s < n; s++) {
      search.store.read(s, ctx.s);
      search.cm.layout.reset(ctx.s);
      mask[s] = search.cm.table.truth(f(ctx)) ? 1 : 0;
    }
    return mask;
  };
  const fair = fairness(search, graph, n);
  const p = test(property.p);
  switch (property.kind) {
    case "always": {
      const bad = p.indexOf(0);
      return bad < 0 ? undefined : traceTo(search, bad);
    }
    case "eventuallyAlways": {
      // ~<>[]P = []<>~P: a fair component visiting a ~P state.
      const c = findFairComponent(graph, fair, new Uint8Array(n).fill(1), invert(p));
      return c && lasso(search, graph, pathTo(search, c.entry), c);
    }
    case "alwaysEventually": {
      // ~[]<>P = <>[]~P: a fair component made of ~P states.
      const c = findFairComponent(graph, fair, invert(p));
      return c && lasso(search, graph, pathTo(search, c.entry), c);
    }
    case "leadsTo": {
      const notQ = invert(test(property.q));
      const sources = p.map((v, s) => v & (notQ[s] as number));
      const { reach, parent } = reachWithin(graph, notQ, sources);
      const c = findFairComponent(graph, fair, reach);
      if (!c) return undefined;
      const tailPath: number[] = [];
      for (let s = c.entry; s >= 0; s = parent[s] as number) tailPath.unshift(s);
      const prefix = [...pathTo(search, tailPath[0] as number).slice(0, -1), ...tailPath];
      return lasso(search, graph, prefix, c);
    }
  }
}

const invert = (m: Uint8Array): Uint8Array => m.map((v) => 1 - v);

function pathTo(search: Search, index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = search.store.parent(i)) path.unshift(i);
  return path;
}

/**
 * Fairness of a parameterised action applies to each instance (`\A p \in S : WF_vars(A(p))`),
 * so one condition per action instance seen on an edge; an instance never enabled is satisfied.
 * The same for every property of a check: computed once per graph, in one pass over its edges.
 */
function fairness(search: Search, graph: StateGraph, n: number): Fair[] {
  const known = fairnessOf.get(graph);
  if (known) return known;
  const fairActions = search.cm.model.fairness.map((f) => {
    const index = search.cm.actions.findIndex((a) => a.name === f.action);
    if (index < 0) throw new Error(`fairness names unknown action ${f.action}`);
    return index;
  });
  const wanted = new Set(fairActions);
  const enabledBy = new Map<number, Uint8Array>();
  for (let s = 0; s < n; s++) {
    graph.forEach(s, (t, label) => {
      if (!wanted.has(label >>> 16)) return;
      let enabled = enabledBy.get(label);
      if (!enabled) {
        enabled = new Uint8Array(n);
        enabledBy.set(label, enabled);
      }
      if (t !== s) enabled[s] = 1;
    });
  }
  const labels = [...enabledBy.keys()].sort((a, b) => a - b);
  const fair = search.cm.model.fairness.flatMap((f, i) =>
    labels
      .filter((label) => label >>> 16 === fairActions[i])
      .map((action) => ({ strong: f.kind === "strong", action, enabled: enabledBy.get(action) as Uint8Array })),
  );
  fairnessOf.set(graph, fair);
  return fair;
}

const fairnessOf = new WeakMap<StateGraph, Fair[]>();

interface Component {
  readonly members: readonly number[];
  readonly inside: Uint8Array;
  readonly entry: number;
  /** States or edges the cycle must pass through to be fair and to violate the property. */
  readonly waypoints: readonly (readonly [number, number])[];
}

/** Multi-source breadth-first reachability inside `allowed`, with parents for path recovery. */
function reachWithin(graph: StateGraph, allowed: Uint8Array, sources: Uint8Array) {
  const { ends, targets } = graph.csr();
  const n = allowed.length;
  const reach = new Uint8Array(n);
  const parent = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let s = 0; s < n; s++) {
    if (sources[s]) {
      reach[s] = 1;
      queue[tail++] = s;
    }
  }
  for (let head = 0; head < tail; head++) {
    const s = queue[head] as number;
    const end = ends[s] as number;
    for (let e = s === 0 ? 0 : (ends[s - 1] as number); e < end; e++) {
      const t = targets[e] as number;
      if (allowed[t] && !reach[t]) {
        reach[t] = 1;
        parent[t] = s;
        queue[tail++] = t;
      }
    }
  }
  return { reach, parent };
}

function findFairComponent(graph: StateGraph, fair: readonly Fair[], allowed: Uint8Array, required?: Uint8Array) {
  for (const members of components(graph, allowed)) {
    const found = fairWithin(graph, fair, members, required);
    if (found) return found;
  }
  return undefined;
}

function fairWithin(
  graph: StateGraph,
  fair: readonly Fair[],
  members: readonly number[],
  required?: Uint8Array,
): Component | undefined {
  const n = fair[0]?.enabled.length ?? graph.closed;
  // Most components are single states: look at the ones that cannot matter before marking anything.
  if (required && !members.some((s) => required[s])) return undefined;
  const inside = insideScratch(n);
  for (const s of members) inside[s] = 1;
  let strong: Fair;
  try {
    const found = fairCycle(graph, fair, members, inside, required);
    if (found === undefined) return undefined;
    if (!("strong" in found)) return { ...found, inside: inside.slice() };
    strong = found.strong;
  } finally {
    for (const s of members) inside[s] = 0;
  }
  // Strong fairness: stay away from the states where the action is enabled, and look again.
  const rest = new Uint8Array(n);
  for (const s of members) if (!strong.enabled[s]) rest[s] = 1;
  return findFairComponent(graph, fair, rest, required);
}

/** One all-zero marking array, reused for every component (cleared after each). */
let scratch = new Uint8Array(0);
function insideScratch(n: number): Uint8Array {
  if (scratch.length !== n) scratch = new Uint8Array(n);
  return scratch;
}

/**
 * The waypoints of a fair cycle through `members` (marked in `inside`), undefined when there is
 * none, or the strong-fairness condition that asks to search again without the states enabling it.
 */
function fairCycle(
  graph: StateGraph,
  fair: readonly Fair[],
  members: readonly number[],
  inside: Uint8Array,
  required?: Uint8Array,
): Omit<Component, "inside"> | { readonly strong: Fair } | undefined {
  const waypoints: (readonly [number, number])[] = [];
  if (required) {
    const r = members.find((s) => required[s]) as number;
    waypoints.push([r, r]);
  }
  for (const f of fair) {
    const edge = internalEdge(graph, members, inside, f.action);
    if (edge) {
      waypoints.push(edge);
      continue;
    }
    const disabled = members.find((s) => !f.enabled[s]);
    if (disabled === undefined) return undefined;
    if (!f.strong) {
      waypoints.push([disabled, disabled]);
      continue;
    }
    if (members.some((s) => f.enabled[s])) return { strong: f };
  }
  let entry = members[0] as number;
  for (const s of members) if (s < entry) entry = s;
  return { members, entry, waypoints };
}

function internalEdge(graph: StateGraph, members: readonly number[], inside: Uint8Array, action: number) {
  // A single state's only internal edges are stuttering ones.
  if (members.length === 1) return undefined;
  for (const s of members) {
    let found: readonly [number, number] | undefined;
    graph.forEach(s, (t, a) => {
      if (!found && a === action && t !== s && inside[t]) found = [s, t];
    });
    if (found) return found;
  }
  return undefined;
}

/** Strongly connected components of the subgraph on `allowed` (iterative Tarjan). */
function* components(graph: StateGraph, allowed: Uint8Array): Generator<number[]> {
  const { ends, targets } = graph.csr();
  const n = allowed.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  // The depth-first path: a state and the next of its edges to follow.
  const pathState = new Int32Array(n);
  const pathEdge = new Int32Array(n);
  let top = 0;
  let depth = 0;
  let counter = 0;
  const enter = (v: number): void => {
    index[v] = low[v] = counter++;
    stack[top++] = v;
    onStack[v] = 1;
    pathState[depth] = v;
    pathEdge[depth++] = v === 0 ? 0 : (ends[v - 1] as number);
  };
  for (let root = 0; root < n; root++) {
    if (!allowed[root] || index[root] !== -1) continue;
    enter(root);
    while (depth > 0) {
      const v = pathState[depth - 1] as number;
      const e = pathEdge[depth - 1] as number;
      if (e < (ends[v] as number)) {
        pathEdge[depth - 1] = e + 1;
        const w = targets[e] as number;
        if (!allowed[w]) continue;
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = pathState[depth - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack[--top] as number;
          onStack[w] = 0;
          members.push(w);
        } while (w !== v);
        yield members;
      }
    }
  }
}

/** A lasso: `prefix` ends at the component's entry; the cycle passes every waypoint and returns. */
function lasso(search: Search, graph: StateGraph, prefix: number[], c: Component): Trace {
  const cycle: number[] = [c.entry];
  let at = c.entry;
  const walk = (to: number): void => {
    const path = shortestInside(graph, c.inside, at, to);
    cycle.push(...path.slice(1));
    at = to;
  };
  for (const [from, to] of c.waypoints) {
    walk(from);
    if (to !== from) {
      cycle.push(to);
      at = to;
    }
  }
  walk(c.entry);
  // The return to the entry is the loop itself.
  if (cycle.length > 1 && cycle[cycle.length - 1] === c.entry) cycle.pop();
  const path = [...prefix.slice(0, -1), ...cycle];
  return { vars: search.cm.varNames, steps: pathSteps(search, path), loop: prefix.length - 1 };
}

function shortestInside(graph: StateGraph, inside: Uint8Array, from: number, to: number): number[] {
  if (from === to) return [from];
  const parent = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head] as number;
    let done = false;
    graph.forEach(s, (t) => {
      if (done || !inside[t] || parent.has(t)) return;
      parent.set(t, s);
      queue.push(t);
      if (t === to) done = true;
    });
    if (done) break;
  }
  const path: number[] = [];
  for (let s: number | undefined = to; s !== undefined && s >= 0; s = parent.get(s)) path.unshift(s);
  return path;
}
