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

/**
 * Steps and failing invariants are functions of the state, and runs revisit states (every one
 * starts at Init): both are remembered per compiled model, keyed by the state's JSON, up to a bound.
 */
interface Memo {
  readonly steps: Map<string, readonly ModelStep[]>;
  readonly failing: Map<string, readonly string[]>;
}
const memos = new WeakMap<CompiledModel, Memo>();
/** States remembered per model before the memo starts over (a run visits at most a few dozen). */
const MEMO_STATES = 50_000;

function memoOf(cm: CompiledModel): Memo {
  const known = memos.get(cm);
  if (known) return known;
  const memo = { steps: new Map(), failing: new Map() };
  memos.set(cm, memo);
  return memo;
}

function remembered<T>(table: Map<string, T>, key: string, compute: () => T): T {
  const hit = table.get(key);
  if (hit !== undefined) return hit;
  if (table.size >= MEMO_STATES) table.clear();
  const value = compute();
  table.set(key, value);
  return value;
}

const keys = new WeakMap<readonly Value[], string>();

/** A state's JSON, remembered per state array: the memo hands out the same (frozen) successor arrays again. */
export function stateKey(state: readonly Value[]): string {
  let key = keys.get(state);
  if (key === undefined) {
    key = JSON.stringify(state);
    keys.set(state, key);
  }
  return key;
}

/** Every enabled step from `state` (shared between callers: read it, never change it). */
export function enabledSteps(cm: CompiledModel, state: readonly Value[]): readonly ModelStep[] {
  return remembered(memoOf(cm).steps, stateKey(state), () => Object.freeze(computeSteps(cm, state)));
}

function computeSteps(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
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
        expandClauses(action.updates, ctx, target, () =>
          out.push({ action: action.name, params, next: Object.freeze([...target]) }),
        );
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
export function failingInvariants(cm: CompiledModel, state: readonly Value[]): readonly string[] {
  return remembered(memoOf(cm).failing, stateKey(state), () => {
    const ctx = cm.newCtx();
    ctx.s = state;
    return Object.freeze(cm.invariants.filter((inv) => !bool(inv.test(ctx))).map((inv) => inv.name));
  });
}
