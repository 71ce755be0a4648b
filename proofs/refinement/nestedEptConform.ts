/**
 * Conformance of the core's nested VMX (hypervisor/arch/x86/vmx*, nestedEpt*) to NestedEpt:
 * random seeded sequences of KVM's actions (entry writes, EPT pointer loads, VM entries and
 * exits, INVEPT) and of another cell's create and destroy run on the core through the KVM-like
 * agent; after every operation the core is abstracted (nestedEptSystem.ts) and the pair must be
 * joined in the model's reachable graph by the operation's action followed by the hypervisor
 * steps the core performs within the same operation (a trapped write: HvTrap, HvKick…,
 * HvFinishWrite), with the operation's parameters. Steps are enumerated from each state as the run
 * reaches it (modelSteps.ts), so the bound can allow several KVM writes without the full graph.
 * A stutter is accepted only where no such path changes the model's state.
 */
import { nestedEpt, recordOf, type Value } from "../../models/index.js";
import { type CompiledModel, compileModel } from "../explicit/compileModel.js";
import { eptPointer } from "../sim/kvmAgent.js";
import { enabledSteps, initialStates, stateKey } from "./modelSteps.js";
import {
  abstraction,
  cpuNames,
  cpuOf,
  type Entry,
  encode,
  type NestedCore,
  type NestedGhosts,
  nestedEptSet,
  pml4,
  setUp,
  TAKER,
  tablePage,
} from "./nestedEptSystem.js";
import { seededRandom } from "./seededRandom.js";

/** The model the binding checks against: two CPUs, no large spans, a shrinking host map, three KVM writes per behaviour. */
export const nestedEptBoundParams = { cpus: 2, largePages: 1, shrink: true, writes: 3 } as const;

export type NestedOp =
  | { readonly kind: "write"; readonly cpu: number; readonly page: number; readonly entry: Entry }
  | { readonly kind: "load" | "enter" | "exit"; readonly cpu: number; readonly ept: number }
  | { readonly kind: "invept"; readonly cpu: number; readonly ept: number }
  | { readonly kind: "create" | "destroy" };

type Step = readonly [action: string, how: "1" | "?" | "*", params?: Readonly<Record<string, Value>>];

const entryValue = (x: Entry): Value => recordOf({ k: x.k, t: x.t, w: x.w });

/** The operation's model path: its action with its parameters, then the hypervisor steps within it. */
function pathOf(op: NestedOp): readonly Step[] {
  const c = "cpu" in op ? (cpuNames[op.cpu] as string) : "";
  switch (op.kind) {
    case "write":
      return [
        ["KvmWrite", "1", { c, q: op.page, x: entryValue(op.entry) }],
        ["HvTrap", "?"],
        ["HvKick", "*"],
        ["HvFinishWrite", "?"],
      ];
    case "load":
      return [["KvmLoad", "1", { c, e: op.ept }]];
    case "enter":
      return [
        ["HvValidate", "?", { c }],
        ["NestedEnter", "?", { c }],
      ];
    case "exit":
      return [["NestedExit", "1", { c }]];
    case "invept":
      return [["KvmInvept", "1", { e: op.ept }]];
    case "create":
      return [["CellCreate", "1", { q: 3 }]];
    case "destroy":
      return [["CellDestroy", "1", { q: 3 }]];
  }
}

let compiled: CompiledModel | undefined;
/** The bound model, compiled once per process. */
export function nestedBoundModel(): CompiledModel {
  compiled ??= compileModel(nestedEpt(nestedEptBoundParams));
  return compiled;
}

const matches = (want: Step, action: string, params: Readonly<Record<string, Value>>): boolean =>
  action === want[0] &&
  Object.entries(want[2] ?? {}).every(([k, v]) => JSON.stringify(params[k]) === JSON.stringify(v));

/**
 * The actions of a path from `from` that ends in `to` (`to` undefined: any path of at least one
 * step that ends in a state other than `from`), or undefined if there is none.
 */
function joined(
  cm: CompiledModel,
  from: readonly Value[],
  to: string | undefined,
  path: readonly Step[],
): string[] | undefined {
  const start = stateKey(from);
  const seen = new Set<string>();
  const queue: { state: readonly Value[]; i: number; actions: string[] }[] = [{ state: from, i: 0, actions: [] }];
  while (queue.length > 0) {
    const { state, i, actions } = queue.shift() as (typeof queue)[number];
    const key = `${stateKey(state)}#${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const here = stateKey(state);
    if (i === path.length || path.slice(i).every(([, how]) => how !== "1")) {
      if (to === undefined ? actions.length > 0 && here !== start : here === to) return actions;
    }
    if (i === path.length) continue;
    const want = path[i] as Step;
    if (want[1] !== "1") queue.push({ state, i: i + 1, actions });
    for (const step of enabledSteps(cm, state))
      if (matches(want, step.action, step.params))
        queue.push({ state: step.next, i: want[1] === "*" ? i : i + 1, actions: [...actions, step.action] });
  }
  return undefined;
}

export interface NestedDeparture {
  readonly run: number;
  readonly step: number;
  readonly op: string;
  readonly reason: string;
  /** The abstract states around the departing step (variables in NestedEpt's order). */
  readonly before?: readonly Value[];
  readonly after?: readonly Value[];
}

export interface NestedConformReport {
  readonly runs: number;
  readonly steps: number;
  readonly covered: readonly string[];
  readonly departure?: NestedDeparture;
}

export interface NestedConformOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
}

/** The budget per planted mutant (test suite and dossier alike). */
export const nestedMutantBudget = { runs: 20, steps: 30, seed: 11 } as const;

const writable: readonly Entry[] = [
  { k: "none", t: 0, w: false },
  { k: "ptr", t: 2, w: false },
  { k: "leaf", t: 3, w: false },
  { k: "leaf", t: 3, w: true },
  { k: "leaf", t: 4, w: false },
];

function randomOp(pick: (n: number) => number): NestedOp {
  const cpu = Object.values(cpuOf)[pick(2)] as number;
  const ept = pick(2);
  const kinds = ["write", "write", "load", "enter", "enter", "exit", "invept", "create", "destroy"] as const;
  const kind = kinds[pick(kinds.length)] as (typeof kinds)[number];
  if (kind === "write") return { kind, cpu, page: pick(3), entry: writable[pick(writable.length)] as Entry };
  if (kind === "create" || kind === "destroy") return { kind };
  return { kind, cpu, ept };
}

export const describeOp = (op: NestedOp): string => {
  const cpu = "cpu" in op ? (cpuNames[op.cpu] ?? String(op.cpu)) : "";
  if (op.kind === "write")
    return `write(${cpu}, page ${op.page}, ${op.entry.k} ${op.entry.t}${op.entry.w ? " w" : ""})`;
  return "ept" in op ? `${op.kind}(${cpu}, EPT ${op.ept})` : op.kind;
};

type Hv = ReturnType<NestedCore["Hypervisor"]["enable"]>;

function drive(core: NestedCore, hv: Hv, call: ReturnType<NestedCore["rootDriver"]["cellCreate"]>): number {
  for (let i = 0; i < 100_000 && call.status !== "done" && call.status !== "blocked"; i++) {
    let acted = false;
    for (const cell of hv.s.cells.slice(1)) acted = core.agentStep(hv, cell, core.cooperative) !== undefined || acted;
    call.poll(!acted);
  }
  return call.status === "done" ? (call.result as number) : -1;
}

/** Runs one operation; false when it does not apply in this state (the run draws another). */
function perform(
  core: NestedCore,
  hv: Hv,
  op: NestedOp,
  g: NestedGhosts,
  taker: Parameters<NestedCore["rootDriver"]["cellCreate"]>[1],
): boolean {
  const field = (name: string) => core.vmcsFieldByName(name) as number;
  const running = (cpu: number) => core.vmxOf(hv).cpus.get(cpu)?.running !== undefined;
  switch (op.kind) {
    case "write": {
      if (g.writes >= nestedEptBoundParams.writes || running(op.cpu)) return false;
      // A pointer in the level-1 table has no counterpart: the hardware reads every level-1 entry as a leaf.
      if (op.entry.k === "ptr" && op.page === 2) return false;
      const word = encode(op.page, op.entry);
      const bytes = core.readGuest(hv, hv.s.cells[0] as never, tablePage(op.page), 8);
      if (!bytes || new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true) === word) return false;
      g.writes++;
      core.guestAccess(hv, op.cpu, tablePage(op.page), 8, true, word);
      return true;
    }
    case "load":
      core.guestVmx(hv, op.cpu, { op: "vmwrite", field: field("EPT_POINTER"), value: eptPointer(pml4(op.ept)) });
      return true;
    case "enter": {
      const launch = core.guestVmx(hv, op.cpu, { op: "vmlaunch" });
      if (launch.kind === "ignored" && launch.reason.includes("launched"))
        core.guestVmx(hv, op.cpu, { op: "vmresume" });
      return true;
    }
    case "exit":
      core.guestVmx(hv, op.cpu, { op: "exit" });
      return true;
    case "invept": {
      // The model's INVEPT names no CPU: KVM issues it from one not in a nested guest.
      const cpu = [op.cpu, ...Object.values(cpuOf)].find((c) => !running(c));
      if (cpu === undefined) return false;
      core.guestVmx(hv, cpu, { op: "invept", eptp: eptPointer(pml4(op.ept)) });
      return true;
    }
    case "create":
      if (hv.s.cells.some((c) => c.name === TAKER)) return false;
      drive(core, hv, core.rootDriver.cellCreate(hv, taker));
      return true;
    case "destroy":
      if (!hv.s.cells.some((c) => c.name === TAKER)) return false;
      drive(core, hv, core.rootDriver.cellCommand(hv, "destroy", TAKER));
      return true;
  }
}

/** Runs the core's nested VMX against NestedEpt; stops at the first departure. */
export function conformNestedEpt(core: NestedCore, o: NestedConformOptions): NestedConformReport {
  const cm = nestedBoundModel();
  const init = stateKey(initialStates(cm)[0] as Value[]);
  const { set, taker } = nestedEptSet();
  const covered = new Set<string>();
  let steps = 0;
  for (let run = 0; run < o.runs; run++) {
    const pick = seededRandom(o.seed * 7919 + run);
    const system = set.system.config;
    const hv = core.Hypervisor.enable(system, core.archFor(system.arch));
    const ghosts: NestedGhosts = { writes: 0 };
    const depart = (
      step: number,
      op: string,
      reason: string,
      states: { before?: readonly Value[]; after?: readonly Value[] } = {},
    ): NestedConformReport => ({
      runs: run + 1,
      steps,
      covered: [...covered].sort(),
      departure: { run, step, op, reason, ...states },
    });
    const failed = setUp(core, hv);
    if (failed) return depart(0, "Init", failed);
    let before = abstraction(core, hv, ghosts);
    if (typeof before === "string" || JSON.stringify(before) !== init)
      return depart(0, "Init", typeof before === "string" ? before : "the initial state is not the model's");
    for (let i = 1; i <= o.steps; i++) {
      let op = randomOp(pick);
      for (let tries = 0; tries < 20; tries++) {
        try {
          if (perform(core, hv, op, ghosts, taker)) break;
        } catch (error) {
          return depart(i, describeOp(op), `the core threw: ${error instanceof Error ? error.message : String(error)}`);
        }
        op = randomOp(pick);
      }
      steps++;
      const after = abstraction(core, hv, ghosts);
      if (typeof after === "string") return depart(i, describeOp(op), after);
      const path = pathOf(op);
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      const via = changed ? joined(cm, before, JSON.stringify(after), path) : undefined;
      const shown = path.map(([a, h]) => (h === "1" ? a : `${a}${h}`)).join(" ");
      if (changed && !via) return depart(i, describeOp(op), `not a step of NestedEpt by ${shown}`, { before, after });
      if (!changed && joined(cm, before, undefined, path))
        return depart(i, describeOp(op), `the core did nothing where NestedEpt must move (${shown})`, { before });
      for (const a of via ?? []) covered.add(a);
      before = after;
    }
  }
  return { runs: o.runs, steps, covered: [...covered].sort() };
}
