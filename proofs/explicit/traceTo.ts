import type { Value } from "../../models/index.js";
import { showValue } from "../../models/index.js";
import type { Search } from "./checkModel.js";
import type { IdCtx, IdFn } from "./compileIds.js";
import { expandIdClauses, type IdAction, type SearchModel } from "./searchModel.js";
import { TRUE } from "./ValueTable.js";
import type { Trace, TraceStep } from "./Verdict.js";

/**
 * The shortest path from an initial state to state `index`, following the parents recorded by
 * the breadth-first search. Each step names its action with the parameters that produce it.
 */
export function traceTo(search: Search, index: number): Trace {
  const path: number[] = [];
  for (let i = index; i >= 0; i = search.store.parent(i)) path.unshift(i);
  return { vars: search.cm.varNames, steps: pathSteps(search, path) };
}

/** Steps for a path of state indices, each labelled by the action between it and its predecessor. */
export function pathSteps(search: Search, path: readonly number[], firstAction = "Init"): TraceStep[] {
  return path.map((state, i) => {
    const values = search.decode(state);
    if (i === 0) return { action: firstAction, values };
    const prev = path[i - 1] as number;
    return { action: labelStep(search, prev, state), values };
  });
}

/** Names the action (with parameters) that leads from `from` to `to`. */
export function labelStep(search: Search, from: number, to: number): string {
  if (from === to) return "Stutter";
  const { cm } = search;
  const ctx = cm.newCtx();
  search.store.read(from, ctx.s);
  cm.layout.reset(ctx.s);
  const target = new Int32Array(cm.layout.width);
  search.store.read(to, target);
  for (const action of cm.actions) {
    const found = findBinding(cm, action, ctx, target, 0, []);
    if (found) {
      const shown = found.map((id) => showValue(cm.table.values[id] as Value));
      return found.length === 0 ? action.name : `${action.name}(${shown.join(", ")})`;
    }
  }
  return "?";
}

/** Parameter ids under which `action` leads from the state in `ctx` to `target`. */
function findBinding(
  cm: SearchModel,
  action: IdAction,
  ctx: IdCtx,
  target: Int32Array,
  p: number,
  bound: number[],
): number[] | undefined {
  if (p === action.paramSets.length) {
    if (action.guard(ctx) !== TRUE) return undefined;
    const next = ctx.s.slice();
    let match = false;
    expandIdClauses(action.updates, cm.table, ctx, next, () => {
      match ||= target.every((id, i) => id === next[i]);
    });
    return match ? bound : undefined;
  }
  const setId = (action.paramSets[p] as IdFn)(ctx);
  const set = cm.table.values[setId];
  if (typeof set !== "object" || set.kind !== "set") return undefined;
  const slot = action.paramSlots[p] as number;
  for (const x of cm.table.elems(setId)) {
    ctx.b[slot] = x;
    const found = findBinding(cm, action, ctx, target, p + 1, [...bound, x]);
    if (found) return found;
  }
  return undefined;
}
