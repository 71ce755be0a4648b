/**
 * A model's enabled steps from one state: every action with every parameter binding whose guard
 * holds, with the successor state(s). The conformance run walks the model with these, one step
 * at a time, beside the implementation.
 */
import type { Value } from "../../models/index.js";
import { asSet, bool } from "../explicit/compile.js";
import { type CompiledModel, expandClauses } from "../explicit/compileModel.js";

export interface ModelStep {
  readonly action: string;
  readonly params: Readonly<Record<string, Value>>;
  readonly next: readonly Value[];
  /** For a step composed of several model steps: each of them with its successor (the last one's is `next`). */
  readonly path?: readonly { readonly action: string; readonly values: readonly Value[] }[];
}

export function initialStates(cm: CompiledModel): Value[][] {
  const ctx = cm.newCtx();
  const out: Value[][] = [];
  const target: Value[] = new Array(cm.varNames.length);
  ctx.s = target;
  expandClauses(cm.init, ctx, target, () => out.push([...target]));
  return out;
}

export function enabledSteps(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
  const out: ModelStep[] = [];
  const ctx = cm.newCtx();
  ctx.s = state;
  for (const [a, action] of cm.actions.entries()) {
    const names = cm.model.actions[a]?.params.map((p) => p.name) ?? [];
    const bind = (i: number): void => {
      if (i === action.paramSets.length) {
        if (!bool(action.guard(ctx))) return;
        const target = [...state];
        const params = Object.fromEntries(names.map((n, k) => [n, ctx.b[action.paramSlots[k] as number] as Value]));
        expandClauses(action.updates, ctx, target, () => out.push({ action: action.name, params, next: [...target] }));
        return;
      }
      for (const v of asSet((action.paramSets[i] as (c: typeof ctx) => Value)(ctx)).elems) {
        ctx.b[action.paramSlots[i] as number] = v;
        bind(i + 1);
      }
    };
    bind(0);
  }
  return out;
}

/** Names of the model's invariants that do not hold in `state`. */
export function failingInvariants(cm: CompiledModel, state: readonly Value[]): string[] {
  const ctx = cm.newCtx();
  ctx.s = state;
  return cm.invariants.filter((inv) => !bool(inv.test(ctx))).map((inv) => inv.name);
}
