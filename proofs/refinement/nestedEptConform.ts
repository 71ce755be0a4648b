/**
 * Conformance of the core's nested VMX (hypervisor/arch/x86/vmx*, nestedEpt*) to NestedEpt:
 * random seeded sequences of KVM's actions (entry writes, EPT pointer loads, VM entries and
 * exits, INVEPT) and of another cell's create and destroy run on the core through the KVM-like
 * agent; after every operation the core is abstracted (nestedEptSystem.ts) and the pair must be
 * joined in the model's reachable graph by the operation's action followed by the hypervisor
 * steps the core performs within the same operation (a trapped write: HvTrap, HvKick…,
 * HvFinishWrite), or be a stutter. The graph is computed once per process by the explicit checker.
 */
import { nestedEpt, type Value } from "../../models/index.js";
import { checkModel } from "../explicit/index.js";
import { eptPointer } from "../sim/kvmAgent.js";
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

/** The model the binding checks against: two CPUs, no large spans, a shrinking host map, one KVM write per behaviour. */
export const nestedEptBoundParams = { cpus: 2, largePages: 1, shrink: true, writes: 1 } as const;

export type NestedOp =
  | { readonly kind: "write"; readonly cpu: number; readonly page: number; readonly entry: Entry }
  | { readonly kind: "load" | "enter" | "exit"; readonly cpu: number; readonly ept: number }
  | { readonly kind: "invept"; readonly cpu: number; readonly ept: number }
  | { readonly kind: "create" | "destroy" };

/** Each operation's model path: [action, how often] with `?` optional and `*` any number. */
const paths: Readonly<Record<NestedOp["kind"], readonly (readonly [string, "1" | "?" | "*"])[]>> = {
  write: [
    ["KvmWrite", "1"],
    ["HvTrap", "?"],
    ["HvKick", "*"],
    ["HvFinishWrite", "?"],
  ],
  load: [["KvmLoad", "1"]],
  enter: [
    ["HvValidate", "?"],
    ["NestedEnter", "?"],
  ],
  exit: [["NestedExit", "1"]],
  invept: [["KvmInvept", "1"]],
  create: [["CellCreate", "1"]],
  destroy: [["CellDestroy", "1"]],
};

export interface NestedGraph {
  readonly init: string;
  readonly ids: Map<string, number>;
  readonly edges: [string, number][][];
}

let graph: NestedGraph | undefined;
/** The bound model's reachable graph (invariants dropped), interned. */
export function nestedGraph(): NestedGraph {
  if (graph) return graph;
  const ids = new Map<string, number>();
  const edges: [string, number][][] = [];
  const id = (v: readonly Value[]) => {
    const k = JSON.stringify(v);
    let n = ids.get(k);
    if (n === undefined) {
      n = ids.size;
      ids.set(k, n);
      edges.push([]);
    }
    return n;
  };
  let init = "";
  checkModel(
    { ...nestedEpt(nestedEptBoundParams), invariants: [], properties: [] },
    {
      symmetry: false,
      onTransition: (from, action, to) => {
        if (!init) init = JSON.stringify(from);
        edges[id(from)]?.push([action.split("(")[0] as string, id(to)]);
      },
    },
  );
  graph = { init, ids, edges };
  return graph;
}

/** Whether `to` is reachable from `from` along the operation's path. */
function joined(g: NestedGraph, from: number, to: number, path: (typeof paths)[NestedOp["kind"]]): boolean {
  const seen = new Set<string>();
  const queue: [number, number][] = [[from, 0]];
  while (queue.length > 0) {
    const [s, i] = queue.shift() as [number, number];
    const key = `${s}:${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === path.length) {
      if (s === to) return true;
      continue;
    }
    const [label, how] = path[i] as (typeof path)[number];
    if (how !== "1") queue.push([s, i + 1]);
    for (const [action, next] of g.edges[s] ?? []) if (action === label) queue.push([next, how === "*" ? i : i + 1]);
  }
  return false;
}

export interface NestedDeparture {
  readonly run: number;
  readonly step: number;
  readonly op: string;
  readonly reason: string;
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

function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

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
    case "invept":
      core.guestVmx(hv, op.cpu, { op: "invept", eptp: eptPointer(pml4(op.ept)) });
      return true;
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
  const g = nestedGraph();
  const { set, taker } = nestedEptSet();
  const covered = new Set<string>();
  let steps = 0;
  for (let run = 0; run < o.runs; run++) {
    const pick = random(o.seed * 7919 + run);
    const system = set.system.config;
    const hv = core.Hypervisor.enable(system, core.archFor(system.arch));
    const ghosts: NestedGhosts = { writes: 0 };
    const depart = (step: number, op: string, reason: string): NestedConformReport => ({
      runs: run + 1,
      steps,
      covered: [...covered].sort(),
      departure: { run, step, op, reason },
    });
    const failed = setUp(core, hv);
    if (failed) return depart(0, "Init", failed);
    let before = abstraction(core, hv, ghosts);
    if (typeof before === "string" || JSON.stringify(before) !== g.init)
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
      const from = g.ids.get(JSON.stringify(before));
      const to = g.ids.get(JSON.stringify(after));
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        if (from === undefined || to === undefined || !joined(g, from, to, paths[op.kind]))
          return depart(
            i,
            describeOp(op),
            `not a step of NestedEpt by ${paths[op.kind].map(([a, h]) => (h === "1" ? a : `${a}${h}`)).join(" ")}${to === undefined ? " (the state after it is not reachable in the model)" : ""}`,
          );
        covered.add(op.kind);
      }
      before = after;
    }
  }
  return { runs: o.runs, steps, covered: [...covered].sort() };
}
