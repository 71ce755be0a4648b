import type { Value } from "../../models/index.js";
import { showValue } from "../../models/index.js";
import type { Search } from "./checkModel.js";
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
  const current = search.decode(from);
  const target = search.decode(to);
  const ctx = cm.newCtx();
  for (const action of cm.actions) {
    const found = findBinding(search, action, current, target, ctx, 0, []);
    if (found) return found.length === 0 ? action.name : `${action.name}(${found.map(showValue).join(", ")})`;
  }
  return "?";
}

function findBinding(
  search: Search,
  action: Search["cm"]["actions"][number],
  current: Value[],
  target: Value[],
  ctx: ReturnType<Search["cm"]["newCtx"]>,
  p: number,
  bound: Value[],
): Value[] | undefined {
  ctx.s = current;
  if (p === action.paramSets.length) {
    if (action.guard(ctx) !== true) return undefined;
    const next = [...current];
    let match = false;
    const check = (from: number): void => {
      if (match) return;
      if (from === action.updates.length) {
        match = next.every((v, i) => search.values.intern(v) === search.values.intern(target[i] as Value));
        return;
      }
      const c = action.updates[from];
      if (!c) return;
      if (c.eq) {
        next[c.index] = c.eq(ctx);
        check(from + 1);
      } else if (c.in) {
        const set = c.in(ctx);
        if (typeof set === "object" && set.kind === "set") {
          for (const v of set.elems) {
            next[c.index] = v;
            check(from + 1);
          }
        }
      }
    };
    check(0);
    return match ? bound : undefined;
  }
  const set = action.paramSets[p]?.(ctx);
  if (typeof set !== "object" || set.kind !== "set") return undefined;
  for (const x of set.elems) {
    ctx.b[action.paramSlots[p] as number] = x;
    const found = findBinding(search, action, current, target, ctx, p + 1, [...bound, x]);
    if (found) return found;
  }
  return undefined;
}
