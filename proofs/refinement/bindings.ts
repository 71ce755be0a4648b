/**
 * How each model is checked against an implementation: the model for a configuration set, the
 * command a model step stands for, and the part of the state both sides must agree on.
 */
import type { ConfigSet, Mode } from "../../hypervisor/index.js";
import { type Model, resourceOwnership, type Value } from "../../models/index.js";
import type { CompiledModel } from "../explicit/compileModel.js";
import { ownershipSpec } from "../instantiate/ownershipSpec.js";
import { canonical } from "./canonical.js";
import type { AbstractState, Command } from "./implementation.js";
import { commandOf, lifecycleFor, modelView } from "./lifecycleModel.js";
import { enabledSteps, type ModelStep } from "./modelSteps.js";
import { virtioBinding } from "./virtioBinding.js";
import { voteBinding } from "./voteBinding.js";

export interface ModelBinding {
  readonly name: "lifecycle" | "ownership" | "vote" | "virtio-msi";
  /** The model's name, as `warden check` knows it. */
  readonly modelName: string;
  model(set: ConfigSet, mode: Mode): Model;
  /** The modes a run of both checks (default both); a model no mode changes is checked once. */
  readonly modes?: readonly Mode[];
  /** The configuration set the binding runs on, derived from the given one (default: unchanged). */
  configure?(set: ConfigSet): ConfigSet;
  /** Commands every run performs before its first step, each of which must answer `ok` (default: none). */
  prelude?(set: ConfigSet): readonly Command[];
  /**
   * The steps a run may take from a model state; default: every enabled step. A binding whose
   * implementation moves in coarser steps than the model composes them here (see voteBinding.ts).
   */
  steps?(cm: CompiledModel, state: readonly Value[]): ModelStep[];
  /** Which model steps `steps` leaves out or merges, in a few words (for replay errors). */
  readonly coarser?: string;
  command(step: ModelStep): Command | undefined;
  /** Runs pick the root's calls for half their choices (for models where cells have many moves in every state). */
  readonly favourCalls?: boolean;
  /**
   * The result a step predicts ("ok" unless the model says otherwise; a list: any of them) and the
   * state both must agree on.
   */
  expected(
    varNames: readonly string[],
    next: readonly Value[],
    command: Command,
  ): { result: string | readonly string[]; view: string };
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
  modelName: "CellLifecycle",
  model: (set) => lifecycleFor(set),
  command: commandOf,
  expected(varNames, next, command) {
    const v = modelView(varNames, next);
    // A cell's own actions return nothing; the model's lastOp is about the root's last call.
    const result = command.op === "write_state" || command.op === "cpus_fail" ? "ok" : v.result;
    return { result, view: canonical(v.abstract) };
  },
  actual: (s) => canonical({ cells: s.cells, count: s.count, disabled: s.disabled, hung: s.hung }),
  // Resources are outside this model: in upstream mode sharing is the ownership binding's to judge.
  tolerated: (mode) => (mode === "upstream" ? EXCLUSIVITY : NONE),
};

/** ResourceOwnership: create and destroy of cells that never run (so every vote approves at once). */
export const ownershipBinding: ModelBinding = {
  name: "ownership",
  modelName: "ResourceOwnership",
  model: (set, mode) => resourceOwnership(ownershipSpec(set, mode)),
  steps: (cm, state) => [
    ...enabledSteps(cm, state),
    ...refusedCreates(cm, state),
    ...ipiSteps(cm.varNames, state),
    ...routeSteps(cm, state),
  ],
  command(step) {
    const cell = String(step.params.c);
    if (step.action === "CellCreate" || step.action === REFUSED) return { op: "create", cell };
    if (step.action === "CellDestroy") return { op: "destroy", cell, vote: "none" };
    if (step.action === IPI) return { op: "ipi", cell: "root", target: Number(step.params.cpu) };
    if (step.action === ROUTE) {
      const [chip = "", pin = ""] = String(step.params.irq).split(":");
      return { op: "route", cell: "root", chip, pin: Number(pin), target: Number(step.params.cpu) };
    }
    return undefined;
  },
  expected(varNames, next, command) {
    const view = holdersOf(varNames, next);
    // An IPI reaches its target only inside the sender's cell (x86 ignores it, arm64 filters the SGI).
    const holds = (r: string) => view[r]?.includes("root") === true;
    // A create after which the model's cell does not exist is one the model refuses (a CPU not the root's).
    let result: string | string[] = command.op === "create" && !existsIn(varNames, next, command.cell) ? "EBUSY" : "ok";
    if (command.op === "ipi") result = holds(`cpu${command.target}`) ? `delivered to ${command.target}` : "dropped";
    if (command.op === "route") {
      // Never to a CPU outside the pin's cell: x86 refuses (the CPU traps), arm64 redirects inside the cell.
      const own = Object.keys(view)
        .filter((r) => /^cpu\d+$/.test(r) && holds(r))
        .map((r) => `routed to ${r.slice(3)}`);
      result = !holds(`irq ${command.chip}:${command.pin}`)
        ? "not routed"
        : holds(`cpu${command.target}`)
          ? `routed to ${command.target}`
          : ["not routed", ...own];
    }
    return { result, view: canonical(view) };
  },
  actual: (s) => canonical(s.holders ?? {}),
  // Holders are compared exactly; when the model itself lets cells (or root and a cell) share,
  // the implementation's exclusivity checks about those same holders are not a departure.
  tolerated: (_mode, failing) =>
    failing.some((f) => f === "NoUndeclaredSharing" || f === "RootIsolated") ? EXCLUSIVITY : NONE,
};

/**
 * A create the model does not enable — a requested CPU is no longer the root's — performed all the
 * same: the model's state stays as it is (a stutter) and the hypervisor must refuse it with -EBUSY.
 */
const REFUSED = "CellCreateRefused";

function refusedCreates(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
  const enabled = new Set(
    enabledSteps(cm, state)
      .filter((s) => s.action === "CellCreate")
      .map((s) => String(s.params.c)),
  );
  const cells = cm.model.constants.find((c) => c.name === "Cells")?.value;
  const names = cells && typeof cells === "object" && cells.kind === "set" ? cells.elems.map(String) : [];
  return names
    .filter((c) => !enabled.has(c) && !existsIn(cm.varNames, state, c))
    .map((c) => ({ action: REFUSED, params: { c }, next: state }));
}

function existsIn(varNames: readonly string[], state: readonly Value[], cell: string): boolean {
  const exists = state[varNames.indexOf("exists")];
  if (!exists || typeof exists !== "object" || exists.kind !== "function") return false;
  return exists.values[exists.domain.findIndex((d) => String(d) === cell)] === true;
}

/** A step no model has: the root sends an IPI; the model's state stays as it is (a stutter). */
const IPI = "RootSendsIpi";

function ipiSteps(varNames: readonly string[], state: readonly Value[]): ModelStep[] {
  return Object.keys(holdersOf(varNames, state))
    .filter((r) => /^cpu\d+$/.test(r))
    .map((r) => ({ action: IPI, params: { cpu: Number(r.slice(3)) }, next: state }));
}

/** A step no model has: the root routes an interrupt pin to a CPU (stutter). */
const ROUTE = "RootRoutesIrq";

/** Routes of the pins cells take and of each chip's first pin, to every CPU. */
function routeSteps(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
  const takes = cm.model.constants.find((c) => c.name === "Takes")?.value;
  const taken = new Set<string>();
  if (takes && typeof takes === "object" && takes.kind === "function")
    for (const v of takes.values)
      if (v && typeof v === "object" && v.kind === "set") for (const r of v.elems) taken.add(String(r));
  const resources = Object.keys(holdersOf(cm.varNames, state));
  const firsts = new Map<string, string>();
  for (const r of resources.filter((x) => x.startsWith("irq "))) {
    const chip = r.slice(4).split(":")[0] ?? "";
    if (!firsts.has(chip)) firsts.set(chip, r);
  }
  const pins = resources.filter((r) => r.startsWith("irq ") && (taken.has(r) || [...firsts.values()].includes(r)));
  const cpus = resources.filter((r) => /^cpu\d+$/.test(r)).map((r) => Number(r.slice(3)));
  return pins.flatMap((r) => cpus.map((cpu) => ({ action: ROUTE, params: { irq: r.slice(4), cpu }, next: state })));
}

function holdersOf(varNames: readonly string[], state: readonly Value[]): Record<string, string[]> {
  const holders = state[varNames.indexOf("holders")];
  const view: Record<string, string[]> = {};
  if (holders && typeof holders === "object" && holders.kind === "function") {
    holders.domain.forEach((r, i) => {
      const set = holders.values[i];
      view[String(r)] = set && typeof set === "object" && set.kind === "set" ? set.elems.map(String).sort() : [];
    });
  }
  return view;
}

export const bindings: Readonly<Record<ModelBinding["name"], ModelBinding>> = {
  lifecycle: lifecycleBinding,
  ownership: ownershipBinding,
  vote: voteBinding,
  "virtio-msi": virtioBinding,
};

export { canonical };
