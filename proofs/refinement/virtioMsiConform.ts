/**
 * Conformance of the core's virtio interrupt unit to VirtioMsi: random seeded sequences of device
 * events, guest register writes and deliveries run on the unit; after every operation the unit's
 * state is abstracted to a model state, and the pair must be a step of the model's reachable
 * state graph by the operation's action (or a stutter). The graph is computed once per
 * design by the explicit checker, so a step check is a set lookup.
 */
import type * as Hypervisor from "../../hypervisor/index.js";
import { type Model, type MsiValidation, type Value, virtioMsi } from "../../models/index.js";
import { checkModel } from "../explicit/index.js";
import { seededRandom } from "./seededRandom.js";

/** What the binding needs of a core: the unit's functions (a mutant copy supplies its own). */
export type VirtioCore = Pick<
  typeof Hypervisor,
  | "createVirtioIrq"
  | "irqDeviceEvent"
  | "irqGuestWrite"
  | "irqDeliver"
  | "encodeDestination"
  | "decodeDestination"
  | "msiRegs"
>;

/** The bound system: cell a's device with two vectors, cell a on CPUs 1 and 2, the root cell on CPU 0. */
const cpuNames = ["r0", "a0", "a1"] as const;
const cellCpus = [1, 2];
const VECTORS = 2;

export type MsiOp =
  | { readonly kind: "event"; readonly vector: number }
  | { readonly kind: "select"; readonly cpu: number; readonly index: number }
  | { readonly kind: "entry"; readonly cpu: number; readonly target: number }
  | { readonly kind: "mask"; readonly cpu: number; readonly mask: boolean }
  | { readonly kind: "deliver"; readonly vector: number };

export interface MsiDeparture {
  readonly design: MsiValidation;
  readonly arch: "x86" | "arm64";
  readonly step: number;
  readonly op: string;
  readonly reason: string;
}

export interface MsiConformReport {
  readonly runs: number;
  readonly steps: number;
  /** Model actions the runs exercised with a state change. */
  readonly covered: readonly string[];
  readonly departure?: MsiDeparture;
}

const fn = (domain: readonly Value[], values: readonly Value[]): Value => ({ kind: "function", domain, values });

/** The model action an operation stands for, as the checker labels it. */
function label(op: MsiOp): string {
  const cpu = (n: number) => cpuNames[n] ?? "?";
  switch (op.kind) {
    case "event":
      return op.vector === 0 ? "ConfigChange(a)" : `QueueNotify(a, ${op.vector})`;
    case "select":
      return `SelectVector(a, ${cpu(op.cpu)}, ${op.index})`;
    case "entry":
      return `WriteEntry(a, ${cpu(op.cpu)}, ${cpu(op.target)})`;
    case "mask":
      return `WriteMask(a, ${cpu(op.cpu)}, ${op.mask ? "TRUE" : "FALSE"})`;
    case "deliver":
      return `Deliver(a, ${op.vector})`;
  }
}

/** Ghosts the unit does not keep, tracked from the operations and the delivery log. */
interface Ghosts {
  outstanding: boolean[];
  escaped: boolean;
  spurious: boolean;
  logged: number;
}

function abstraction(core: VirtioCore, s: Hypervisor.VirtioIrqState, g: Ghosts): Value[] | string {
  const d = s.devices[0];
  if (!d) return "the unit lost its device";
  for (const x of s.log.slice(g.logged)) {
    if (!cellCpus.includes(x.cpu)) g.escaped = true;
    if (!g.outstanding[x.vector]) g.spurious = true;
    g.outstanding[x.vector] = false;
  }
  g.logged = s.log.length;
  const entries: Value[] = [];
  for (const v of d.vectors.slice(0, VECTORS)) {
    const dest = core.decodeDestination(s.arch, v.addr, v.data, s.gicrBase);
    const name = dest.ok ? cpuNames[dest.cpu] : undefined;
    if (!name) return `an entry names no CPU of the system (${v.addr.toString(16)}/${v.data})`;
    entries.push(name);
  }
  if (d.sel > VECTORS) return `VECTOR_SEL holds ${d.sel}, outside the model's 0..${VECTORS}`;
  const perVector = (f: (i: number) => Value) => fn(["a"], [fn([0, 1], [f(0), f(1)])]);
  return [
    perVector((i) => entries[i] as Value),
    perVector((i) => d.vectors[i]?.masked ?? true),
    perVector((i) => d.vectors[i]?.pending ?? false),
    fn(["a"], [d.sel]),
    fn(
      [...cpuNames].sort(),
      cpuNames.map(() => "idle"),
    ),
    perVector((i) => g.outstanding[i] ?? false),
    g.escaped,
    g.spurious,
    d.vectors.length !== VECTORS,
  ];
}

/** Every step of the design's model (invariants dropped, so the graph is complete even where they fail). */
export function modelSteps(model: Model): { init: string; steps: Set<string> } {
  const steps = new Set<string>();
  let init = "";
  checkModel(
    { ...model, invariants: [], properties: [] },
    {
      symmetry: false,
      onTransition: (from, action, to) => {
        if (!init) init = JSON.stringify(from);
        steps.add(`${JSON.stringify(from)}|${action}|${JSON.stringify(to)}`);
      },
    },
  );
  return { init, steps };
}

/** The models do not change within a process: each design's graph is computed once. */
const graphs = new Map<MsiValidation, ReturnType<typeof modelSteps>>();
function graphOf(design: MsiValidation): ReturnType<typeof modelSteps> {
  let g = graphs.get(design);
  if (!g) {
    g = modelSteps(virtioMsi({ cells: ["a"], cpusPerCell: 2, vectors: VECTORS, validation: design }));
    graphs.set(design, g);
  }
  return g;
}

function randomOp(pick: (n: number) => number): MsiOp {
  const cpu = 1 + pick(2);
  switch (pick(5)) {
    case 0:
      return { kind: "event", vector: pick(VECTORS) };
    case 1:
      return { kind: "select", cpu, index: pick(VECTORS + 1) };
    case 2:
      return { kind: "entry", cpu, target: pick(3) };
    case 3:
      return { kind: "mask", cpu, mask: pick(2) === 0 };
    default:
      return { kind: "deliver", vector: pick(VECTORS) };
  }
}

function apply(core: VirtioCore, s: Hypervisor.VirtioIrqState, g: Ghosts, op: MsiOp): void {
  const r = core.msiRegs;
  switch (op.kind) {
    case "event":
      if (!s.devices[0]?.vectors[op.vector]?.pending) g.outstanding[op.vector] = true;
      core.irqDeviceEvent(s, "a", op.vector);
      return;
    case "select":
      core.irqGuestWrite(s, op.cpu, "a", r.VEC_SEL, op.index);
      return;
    case "entry": {
      // The destination lives in the address's low half in both formats: one write moves it.
      const { addr } = core.encodeDestination(s.arch, op.target, 0, s.gicrBase);
      core.irqGuestWrite(s, op.cpu, "a", r.ADDR_LO, Number(addr & 0xffff_ffffn));
      return;
    }
    case "mask":
      core.irqGuestWrite(s, op.cpu, "a", r.MASK, op.mask ? 1 : 0);
      return;
    case "deliver":
      core.irqDeliver(s, "a", op.vector);
  }
}

/** The budget per planted mutant (test suite and dossier alike). */
export const virtioMutantBudget = { runs: 30, steps: 40, seed: 7 } as const;

export interface MsiConformOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  readonly designs?: readonly MsiValidation[];
}

/** Runs the unit against VirtioMsi for each design; stops at the first departure. */
export function conformVirtioMsi(core: VirtioCore, o: MsiConformOptions): MsiConformReport {
  const covered = new Set<string>();
  let steps = 0;
  for (const design of o.designs ?? (["trapped", "delivery", "unmask"] as const)) {
    const graph = graphOf(design);
    for (let run = 0; run < o.runs; run++) {
      const arch = run % 2 === 0 ? "x86" : "arm64";
      const pick = seededRandom(o.seed * 7919 + run);
      const s = core.createVirtioIrq(
        design,
        arch,
        [{ name: "a", cell: "a", cpus: cellCpus, vectors: VECTORS }],
        0x80a0000n,
      );
      const g: Ghosts = { outstanding: [false, false], escaped: false, spurious: false, logged: 0 };
      let before = abstraction(core, s, g);
      const depart = (step: number, op: string, reason: string): MsiConformReport => ({
        runs: run + 1,
        steps,
        covered: [...covered].sort(),
        departure: { design, arch, step, op, reason },
      });
      if (typeof before === "string" || JSON.stringify(before) !== graph.init)
        return depart(0, "Init", typeof before === "string" ? before : "the initial state is not the model's");
      for (let i = 1; i <= o.steps; i++) {
        const op = randomOp(pick);
        steps++;
        try {
          apply(core, s, g, op);
        } catch (error) {
          return depart(i, label(op), `the unit threw: ${error instanceof Error ? error.message : String(error)}`);
        }
        const after = abstraction(core, s, g);
        if (typeof after === "string") return depart(i, label(op), after);
        const from = JSON.stringify(before);
        const to = JSON.stringify(after);
        if (from !== to) {
          // The checker reports transitions by action name; the states pin the parameters down.
          if (!graph.steps.has(`${from}|${label(op).split("(")[0]}|${to}`))
            return depart(i, label(op), `not a step of VirtioMsi (${design}) from the abstract state before it`);
          covered.add(label(op).split("(")[0] as string);
        }
        before = after;
      }
    }
  }
  return { runs: o.runs, steps, covered: [...covered].sort() };
}
