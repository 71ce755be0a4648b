/**
 * Action coverage of a conformance run: which of the model's action and outcome labels (e.g.
 * `CellStart(approve) → ok`, `CellCreateUnanswered → HANG`) the run drove the implementation
 * through, and which labels the model can reach at all. A label is reachable when some step
 * carrying it leaves a state of the instantiated model's reachable graph (searched breadth-first
 * with the binding's own steps, so composite steps are labelled as the run labels them).
 */
import type { Value } from "../../models/index.js";
import type { CompiledModel } from "../explicit/compileModel.js";
import { bindingStepLabel, bindingSteps } from "./bindingSteps.js";
import type { ModelBinding } from "./bindings.js";

export { stepLabel } from "./stepLabel.js";

/** How many model states the reachability search visits at most (the built-in examples have about a thousand). */
export const COVERAGE_STATE_LIMIT = 100_000;

export interface ActionCoverage {
  /** How many checked steps carried each label. */
  readonly exercised: Readonly<Record<string, number>>;
  /** Every label the model reaches (sorted); only a lower bound when `complete` is false. */
  readonly reachable: readonly string[];
  /** Reachable labels the run never exercised. */
  readonly missing: readonly string[];
  /** Whether the model's graph was searched to the end (else it stopped at `stateLimit` states). */
  readonly complete: boolean;
  readonly modelStates: number;
}

/** The labels reachable in the model, by breadth-first search from `init` up to `stateLimit` states. */
export function reachableLabels(
  binding: ModelBinding,
  cm: CompiledModel,
  init: readonly Value[],
  stateLimit: number,
): { labels: Set<string>; complete: boolean; states: number } {
  const labels = new Set<string>();
  const seen = new Set([JSON.stringify(init)]);
  let frontier: (readonly Value[])[] = [init];
  let complete = true;
  while (frontier.length > 0) {
    const next: (readonly Value[])[] = [];
    for (const state of frontier) {
      for (const step of bindingSteps(binding, cm, state)) {
        const label = bindingStepLabel(binding, cm, step);
        if (label === undefined) continue;
        labels.add(label);
        const key = JSON.stringify(step.next);
        if (seen.has(key)) continue;
        if (seen.size >= stateLimit) {
          complete = false;
          continue;
        }
        seen.add(key);
        next.push(step.next);
      }
    }
    frontier = next;
  }
  return { labels, complete, states: seen.size };
}

export function actionCoverage(
  exercised: ReadonlyMap<string, number>,
  reachable: { labels: ReadonlySet<string>; complete: boolean; states: number },
): ActionCoverage {
  const sorted = [...reachable.labels].sort();
  return {
    exercised: Object.fromEntries([...exercised].sort(([a], [b]) => (a < b ? -1 : 1))),
    reachable: sorted,
    missing: sorted.filter((l) => !exercised.has(l)),
    complete: reachable.complete,
    modelStates: reachable.states,
  };
}
