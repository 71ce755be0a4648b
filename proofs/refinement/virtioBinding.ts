/**
 * VirtioMsi in `warden conform`: the virtio-mmio device of one cell, created through CELL_CREATE
 * and started before the first step (the binding's prelude), is driven by the model's steps —
 * device events, VECTOR_SEL/entry/MASK writes by the cell's CPUs, deliveries — and compared after
 * each on every vector's target, mask and pending bit and on VECTOR_SEL. The core's unit uses the
 * trapped design, so the model does too.
 *
 * Bound system: the first cell with a `warden_virtio` device and a CPU (its first device); a set
 * declaring none gets a probe device (`vda`, two vectors) on its first non-root cell with a CPU,
 * so the built-in examples are covered. When the prelude is refused (the cell's create fails on
 * a set with clashing cells, or a cell without CPUs cannot hold a device), the run has no steps
 * and the refusal is counted among the steps outside the model's abstraction. The model keeps at most two CPUs of the cell and two
 * vectors (a larger device's other vectors are neither driven nor compared).
 */
import type { CellConfig, ConfigSet } from "../../hypervisor/index.js";
import { type Value, virtioMsi } from "../../models/index.js";
import { inputError } from "../diagnostics/InputError.js";
import type { CompiledModel } from "../explicit/compileModel.js";
import type { ModelBinding } from "./bindings.js";
import { canonical } from "./canonical.js";
import type { Command, VirtioDeviceView } from "./implementation.js";
import { enabledSteps, type ModelStep } from "./modelSteps.js";

/** The most CPUs and vectors the bound model keeps (its state space stays in the hundreds). */
export const VIRTIO_BOUND = { cpus: 2, vectors: 2 } as const;

/** The device the binding adds to a set that declares none. */
export const PROBE_DEVICE = { name: "vda", base: 0xd000_0000n, vectors: 2 } as const;

/** The cell whose device the model binds, or undefined. */
export function boundVirtioCell(set: ConfigSet): CellConfig | undefined {
  const cells = set.cells.map((c) => c.config).filter((c) => (c.warden_virtio?.length ?? 0) > 0);
  return cells.find((c) => c.cpus.length > 0) ?? cells[0];
}

/** The set as the binding runs it: unchanged if a cell has a device, else with the probe device. */
export function withVirtioDevice(set: ConfigSet): ConfigSet {
  if (boundVirtioCell(set)) return set;
  // A cell without CPUs cannot hold the device (create refuses it): the run then records the refusal.
  const withCpu = set.cells.findIndex((c) => c.config.cpus.length > 0);
  const host = withCpu < 0 ? 0 : withCpu;
  if (set.cells.length === 0) return set;
  return {
    ...set,
    cells: set.cells.map((c, i) =>
      i === host ? { ...c, config: { ...c.config, warden_virtio: [{ ...PROBE_DEVICE }] } } : c,
    ),
  };
}

function bound(set: ConfigSet): { cell: CellConfig; cpus: number; vectors: number } {
  const cell = boundVirtioCell(withVirtioDevice(set));
  if (!cell) throw inputError("WRD900", "VirtioMsi conformance needs a non-root cell (to own a virtio device)");
  const device = cell.warden_virtio?.[0];
  return {
    cell,
    cpus: Math.max(1, Math.min(cell.cpus.length, VIRTIO_BOUND.cpus)),
    vectors: Math.min(device?.vectors ?? 1, VIRTIO_BOUND.vectors),
  };
}

/** A model CPU name (`r0`, or the cell's name and a one-digit index) as the protocol names it: `root:0`, `a:1`. */
function cpuRef(name: string): string {
  if (name === "r0") return "root:0";
  return `${name.slice(0, -1)}:${name.slice(-1)}`;
}
const indexOf = (name: Value) => Number(String(name).slice(-1));

function fnAt(f: Value | undefined, key: Value): Value | undefined {
  if (!f || typeof f !== "object" || f.kind !== "function") return undefined;
  const k = f.domain.findIndex((d) => d === key);
  return k < 0 ? undefined : f.values[k];
}

function modelView(varNames: readonly string[], state: readonly Value[]): Record<string, VirtioDeviceView> {
  const v = (name: string) => state[varNames.indexOf(name)];
  const entry = v("entry");
  const out: Record<string, VirtioDeviceView> = {};
  if (!entry || typeof entry !== "object" || entry.kind !== "function") return out;
  for (const d of entry.domain) {
    const vectors = fnAt(entry, d);
    const n = vectors && typeof vectors === "object" && vectors.kind === "function" ? vectors.domain.length : 0;
    const each = <T>(name: string, f: (x: Value | undefined) => T) =>
      Array.from({ length: n }, (_, i) => f(fnAt(fnAt(v(name), d), i)));
    out[String(d)] = {
      entry: each("entry", (x) => cpuRef(String(x))),
      mask: each("mask", (x) => x === true),
      pending: each("pending", (x) => x === true),
      sel: Number(fnAt(v("sel"), d)),
    };
  }
  return out;
}

function command(step: ModelStep): Command | undefined {
  const cell = String(step.params.d);
  const p = step.params;
  switch (step.action) {
    case "ConfigChange":
      return { op: "virtio_event", cell, vector: 0 };
    case "QueueNotify":
      return { op: "virtio_event", cell, vector: Number(p.q) };
    case "SelectVector":
      return { op: "virtio_select", cell, cpu: indexOf(p.cpu as Value), index: Number(p.x) };
    case "WriteEntry":
      return { op: "virtio_entry", cell, cpu: indexOf(p.cpu as Value), target: cpuRef(String(p.t)) };
    case "WriteMask":
      return { op: "virtio_mask", cell, cpu: indexOf(p.cpu as Value), mask: p.m === true };
    case "Deliver":
    case HELD:
      return { op: "virtio_deliver", cell, vector: Number(p.i) };
    default:
      return undefined;
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A step the model does not enable — delivering a pending vector that is masked — performed all
 * the same: the model's state stays as it is (a stutter) and the hypervisor must inject nothing.
 */
const HELD = "DeliverMasked";

function maskedDeliveries(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
  return Object.entries(modelView(cm.varNames, state)).flatMap(([d, view]) =>
    view.pending.flatMap((p, i) => (p && view.mask[i] ? [{ action: HELD, params: { d, i }, next: state }] : [])),
  );
}

export const virtioBinding: ModelBinding = {
  name: "virtio-msi",
  modelName: "VirtioMsi",
  // The unit behaves alike in both modes (strict adds checks to create only): one run suffices.
  modes: ["upstream"],
  configure: withVirtioDevice,
  prelude: (set) => {
    const { cell } = bound(set);
    return [
      { op: "create", cell: cell.name },
      { op: "start", cell: cell.name, vote: "none" },
    ];
  },
  model(set) {
    const b = bound(set);
    return virtioMsi({ cells: [b.cell.name], cpusPerCell: b.cpus, vectors: b.vectors, validation: "trapped" });
  },
  steps: (cm, state) => [...enabledSteps(cm, state), ...maskedDeliveries(cm, state)],
  command,
  expected(varNames, next, c) {
    const view = modelView(varNames, next);
    let result = "ok";
    if (c.op === "virtio_deliver") {
      const d = view[c.cell];
      // Trapped design: a pending, unmasked vector is always injected, into the CPU its entry names;
      // a masked one stays pending (the only delivery after which the model's bit is still set).
      result = d && !d.pending[c.vector] ? `delivered to ${d.entry[c.vector]}` : "idle";
    }
    return { result, view: canonical(view) };
  },
  actual: (s) =>
    canonical(
      Object.fromEntries(
        Object.entries(s.virtio ?? {}).map(([cell, d]) => {
          const n = Math.min(d.entry.length, VIRTIO_BOUND.vectors);
          const cut = <T>(xs: readonly T[]) => xs.slice(0, n);
          return [cell, { entry: cut(d.entry), mask: cut(d.mask), pending: cut(d.pending), sel: d.sel }];
        }),
      ),
    ),
  tolerated: () => NONE,
};
