/**
 * A binding's steps from a model state and their coverage labels, remembered per binding and
 * compiled model: both are functions of the state (and a step's label of the step), and the runs
 * of one conformance check revisit the same states again and again (every run starts at Init).
 * The same step objects come back for a state, so per-step facts are remembered by identity.
 */
import type { Value } from "../../models/index.js";
import type { CompiledModel } from "../explicit/compileModel.js";
import type { ModelBinding } from "./bindings.js";
import { enabledSteps, type ModelStep, stateKey } from "./modelSteps.js";
import { stepLabel } from "./stepLabel.js";

/** States remembered per binding and model before the memo starts over. */
const MEMO_STATES = 50_000;

interface Memo {
  readonly steps: Map<string, readonly ModelStep[]>;
  readonly labels: WeakMap<ModelStep, string | undefined>;
}
const memos = new WeakMap<CompiledModel, Map<ModelBinding, Memo>>();

function memoOf(binding: ModelBinding, cm: CompiledModel): Memo {
  const perModel = memos.get(cm) ?? new Map<ModelBinding, Memo>();
  memos.set(cm, perModel);
  const known = perModel.get(binding);
  if (known) return known;
  const memo: Memo = { steps: new Map(), labels: new WeakMap() };
  perModel.set(binding, memo);
  return memo;
}

/** `binding.steps(cm, state)`, or the model's enabled steps (shared between callers: read them, never change them). */
export function bindingSteps(binding: ModelBinding, cm: CompiledModel, state: readonly Value[]): readonly ModelStep[] {
  if (!binding.steps) return enabledSteps(cm, state);
  const memo = memoOf(binding, cm);
  const key = stateKey(state);
  const hit = memo.steps.get(key);
  if (hit) return hit;
  if (memo.steps.size >= MEMO_STATES) memo.steps.clear();
  const steps = Object.freeze(binding.steps(cm, state));
  memo.steps.set(key, steps);
  return steps;
}

/** `stepLabel(binding, cm, step)`, once per step object. */
export function bindingStepLabel(binding: ModelBinding, cm: CompiledModel, step: ModelStep): string | undefined {
  const labels = memoOf(binding, cm).labels;
  if (labels.has(step)) return labels.get(step);
  const label = stepLabel(binding, cm, step);
  labels.set(step, label);
  return label;
}
