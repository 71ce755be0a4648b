/**
 * How each model is checked against an implementation: the model for a configuration set, the
 * command a model step stands for, and the part of the state both sides must agree on.
 */
import type { ConfigSet, Mode } from "../../hypervisor/index.js";
import { type Model, resourceOwnership, type Value } from "../../models/index.js";
import { ownershipSpec } from "../instantiate/ownershipSpec.js";
import type { AbstractState, Command } from "./implementation.js";
import { commandOf, lifecycleFor, modelView } from "./lifecycleModel.js";
import type { ModelStep } from "./modelSteps.js";

export interface ModelBinding {
  readonly name: "lifecycle" | "ownership";
  model(set: ConfigSet, mode: Mode): Model;
  command(step: ModelStep): Command | undefined;
  /** The result a step predicts (undefined: only "ok" or an unmodelled error is acceptable) and the state both must agree on. */
  expected(varNames: readonly string[], next: readonly Value[]): { result: string | undefined; view: string };
  /** The implementation's abstract state cut down to what the model describes. */
  actual(state: AbstractState): string;
  /**
   * Implementation invariants allowed to fail after a step, given the model invariants that fail
   * in the model's successor: upstream lets cells share what they should not, and when the model
   * says so too, the implementation's exclusivity checks must not count as a departure.
   */
  tolerated(mode: Mode, modelViolations: readonly string[]): ReadonlySet<string>;
}

/** The core's invariants that express exclusivity between non-root cells. */
const SHARING = ["memory-exclusive", "device-exclusive", "pin-exclusive", "port-exclusive"];
const EXCLUSIVITY: ReadonlySet<string> = new Set([...SHARING, "root-isolation"]);
const NONE: ReadonlySet<string> = new Set();

export const lifecycleBinding: ModelBinding = {
  name: "lifecycle",
  model: (set) => lifecycleFor(set),
  command: commandOf,
  expected(varNames, next) {
    const v = modelView(varNames, next);
    return { result: v.result, view: canonical(v.abstract) };
  },
  actual: (s) => canonical({ cells: s.cells, count: s.count, disabled: s.disabled, hung: s.hung }),
  // Resources are outside this model: in upstream mode sharing is the ownership binding's to judge.
  tolerated: (mode) => (mode === "upstream" ? EXCLUSIVITY : NONE),
};

/** ResourceOwnership: create and destroy of cells that never run (so every vote approves at once). */
export const ownershipBinding: ModelBinding = {
  name: "ownership",
  model: (set, mode) => resourceOwnership(ownershipSpec(set, mode)),
  command(step) {
    const cell = String(step.params.c);
    if (step.action === "CellCreate") return { op: "create", cell };
    if (step.action === "CellDestroy") return { op: "destroy", cell, vote: "none" };
    return undefined;
  },
  expected(varNames, next) {
    const holders = next[varNames.indexOf("holders")];
    const view: Record<string, string[]> = {};
    if (holders && typeof holders === "object" && holders.kind === "function") {
      holders.domain.forEach((r, i) => {
        const set = holders.values[i];
        view[String(r)] = set && typeof set === "object" && set.kind === "set" ? set.elems.map(String).sort() : [];
      });
    }
    return { result: undefined, view: canonical(view) };
  },
  actual: (s) => canonical(s.holders ?? {}),
  // Holders are compared exactly; when the model itself lets cells (or root and a cell) share,
  // the implementation's exclusivity checks about those same holders are not a departure.
  tolerated: (_mode, failing) =>
    failing.some((f) => f === "NoUndeclaredSharing" || f === "RootIsolated") ? EXCLUSIVITY : NONE,
};

export const bindings: Readonly<Record<ModelBinding["name"], ModelBinding>> = {
  lifecycle: lifecycleBinding,
  ownership: ownershipBinding,
};

/** JSON with sorted keys, so equal states compare equal as strings. */
export function canonical(x: unknown): string {
  return JSON.stringify(x, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
