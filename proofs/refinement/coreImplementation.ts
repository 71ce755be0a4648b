/**
 * Warden's hypervisor core as an `Implementation`. It is built from a module object with the
 * core's exports, so a test can hand it a mutated copy of `hypervisor/` instead of the real one.
 */

import * as hypervisorModule from "../../hypervisor/index.js";
import {
  type AgentPolicy,
  type CellConfig,
  type ConfigSet,
  type Hypervisor,
  type Mode,
  showBdf,
} from "../../hypervisor/index.js";
import { ownershipSpec } from "../instantiate/ownershipSpec.js";
import { coreExchange } from "./coreExchange.js";
import { coreVirtio } from "./coreVirtio.js";
import { type AbstractCellState, type AbstractState, type Implementation, isVirtioCommand } from "./implementation.js";

export type CoreModule = typeof hypervisorModule;

const policy = {
  approve: { request: "approve", info: "received" },
  deny: { request: "deny", info: "received" },
  timeout: { request: "silent", info: "silent" },
  hang: { request: "silent", info: "silent" },
  none: { request: "approve", info: "received" },
} as const;
const written = {
  RUN: "RUNNING",
  LCK: "RUNNING_LOCKED",
  SDC: "SHUT_DOWN",
  FL: "FAILED",
  FCR: "FAILED_COMM_REV",
} as const;
/** Timeouts fast-forward once no cell acts, so a call still waiting after this many polls never ends. */
const POLL_LIMIT = 10_000;
/** An address no cell maps: touching it is fatal. */
const FORBIDDEN = 0xfffffffff000n;

export function coreImplementation(
  m: CoreModule,
  set: ConfigSet,
  mode: Mode,
  /** Hands the core's state out, for `warden diff-core`'s detailed comparison. */
  expose?: (hv: Hypervisor) => void,
): Implementation {
  const system = set.system.config;
  const hv: Hypervisor = m.Hypervisor.enable(system, m.archFor(system.arch), mode);
  expose?.(hv);
  const resources = ownershipResources(set, mode);
  const configs = new Map<string, CellConfig>(set.cells.map((c, i) => [c.config.name, { ...c.config, id: i + 1 }]));
  // Passive cells do not run the comm protocol at all: if the hypervisor ever asked one, it would wait.
  const policies: Record<string, AgentPolicy> = Object.fromEntries(
    set.cells
      .filter((c) => (c.config.flags & m.cellFlags.PASSIVE_COMMREG) !== 0)
      .map((c) => [c.config.name, policy.hang]),
  );
  let hung = false;
  const exchange = coreExchange(m, hv, configs);
  const passive = (name: string) => ((configs.get(name)?.flags ?? 0) & m.cellFlags.PASSIVE_COMMREG) !== 0;
  const cellOf = (name: string) => hv.s.cells.find((c) => c.name === name);
  const idOf = (name: string) => BigInt(configs.get(name)?.id ?? 0);
  const runningCpus = (name: string) =>
    [...(cellOf(name)?.cpus ?? [])].filter((c) => {
      const s = hv.s.cpus.get(c);
      return s?.mode === "running" && !s.suspended;
    });

  /** The running CPU a cell sends from ("root": the root cell). */
  const sender = (name: string) => {
    const cell = name === "root" ? hv.s.cells[0] : cellOf(name);
    return cell && m.runningCpu(hv, cell);
  };
  const runningOf = (name: string) => {
    const cell = name === "root" ? hv.s.cells[0] : cellOf(name);
    return [...(cell?.cpus ?? [])]
      .filter((n) => {
        const s = hv.s.cpus.get(n);
        return s?.mode === "running" && !s.suspended && !s.failed;
      })
      .sort((a, b) => a - b);
  };
  /** Routes from the cell's last running CPU (the root's driver runs on its first) and reads the route back. */
  const routeIrq = (name: string, chip: string, pin: number, target: number): string => {
    const cpu = runningOf(name).at(-1);
    if (cpu === undefined) throw new Error(`cell '${name}' has no running CPU`);
    const key = `${chip}:${pin}`;
    const before = hv.s.irqRoutes.get(key);
    const outcome = m.guestRouteIrq(hv, cpu, pin, target);
    const after = hv.s.irqRoutes.get(key);
    const routed = after !== undefined && (after !== before || outcome.kind === "ok");
    return routed ? `routed to ${after}` : "not routed";
  };
  /** Which CPUs the IPI reached, read from the core's per-CPU delivery counts. */
  const sendIpi = (name: string, target: number): string => {
    const cpu = sender(name);
    if (cpu === undefined) throw new Error(`cell '${name}' has no running CPU`);
    const before = new Map([...hv.s.cpus].map(([n, s]) => [n, s.interrupts]));
    const outcome = m.guestIpi(hv, cpu, target);
    if (outcome.kind === "fatal") return `fatal: ${outcome.reason}`;
    const reached = [...hv.s.cpus].filter(([n, s]) => s.interrupts !== before.get(n)).map(([n]) => n);
    return reached.length === 0 ? "dropped" : `delivered to ${reached.sort((a, b) => a - b).join(", ")}`;
  };

  /** Polls a call to its end with every cell's agent acting between polls, as `warden sim` does. */
  const finish = (call: ReturnType<Hypervisor["hypercall"]>, value = false): string => {
    for (let i = 0; i < POLL_LIMIT && call.status !== "done" && call.status !== "blocked"; i++) {
      let acted = false;
      for (const cell of hv.s.cells.slice(1)) {
        acted = m.agentStep(hv, cell, policies[cell.name] ?? policy.approve) !== undefined || acted;
      }
      call.poll(!acted);
    }
    if (call.status !== "done") {
      hung = true;
      return "HANG";
    }
    const r = call.result as number;
    return r === 0 && !value ? "ok" : r >= 0 ? String(r) : m.resultName(r).slice(1);
  };

  /** How every active cell will answer a RECONFIG_COMPLETED: silent if the command names it, else received. */
  const broadcastAnswers = (silent: readonly string[] = []) => {
    for (const name of configs.keys())
      if (!passive(name))
        policies[name] = { ...(policies[name] ?? policy.approve), info: silent.includes(name) ? "silent" : "received" };
  };

  const virtio = coreVirtio(m, hv, configs);

  const stage = (config: CellConfig): bigint => {
    const at = m.rootDriver.stageConfig(hv, m.encodeCell(config));
    if (at === undefined) throw new Error("no root memory left to stage a configuration in");
    return at;
  };

  return {
    applicable(c) {
      if (hung || hv.s.disabled) return false;
      if (isVirtioCommand(c)) return virtio.applicable(c);
      if (c.op === "issue" || c.op === "poll" || c.op === "answer" || c.op === "declare") return exchange.applicable(c);
      if (c.op === "ipi") return sender(c.cell) !== undefined;
      // x86 parks a CPU that routes outside its cell: keep one running to drive the root's calls.
      if (c.op === "route") return runningOf(c.cell).length >= 2;
      if (c.op === "write_state") return runningCpus(c.cell).length > 0;
      // Upstream accepts an empty CPU set. Started, such a cell (unless passive) can never answer a
      // vote or a RECONFIG_COMPLETED broadcast, so with timeout 0 every later call hangs; the
      // models have no silent cells, so runs do not start one.
      if (c.op === "start") {
        const config = configs.get(c.cell);
        return config === undefined || config.cpus.length > 0 || (config.flags & 0x1) !== 0;
      }
      if (c.op === "cpus_fail") {
        const cell = cellOf(c.cell);
        return cell !== undefined && cell.cpus.size > 0 && runningCpus(c.cell).length === cell.cpus.size;
      }
      if (c.op === "disable")
        return [...(hv.s.cells[0]?.cpus ?? [])].every((cpu) => hv.s.cpus.get(cpu)?.mode === "running");
      return true;
    },
    perform(c) {
      if (isVirtioCommand(c)) return virtio.perform(c);
      if (c.op === "issue" || c.op === "poll" || c.op === "answer" || c.op === "declare") return exchange.perform(c);
      if (c.op === "ipi") return sendIpi(c.cell, c.target);
      if (c.op === "route") return routeIrq(c.cell, c.chip, c.pin, c.target);
      const root = m.rootDriver.driverCpu(hv);
      switch (c.op) {
        case "create": {
          broadcastAnswers(c.silent);
          const config = configs.get(c.cell);
          if (!config) throw new Error(`no cell '${c.cell}' in the configuration set`);
          const result = finish(hv.hypercall(root, m.hypercallCodes.CELL_CREATE, stage(config)));
          // As the driver does after a failure: the CPUs it had offlined come back online.
          if (result !== "ok")
            for (const cpu of config.cpus)
              if (hv.s.cells[0]?.cpus.has(cpu)) Object.assign(m.cpuState(hv, cpu), { mode: "running" });
          return result;
        }
        case "get_state":
          return finish(hv.hypercall(root, m.hypercallCodes.CELL_GET_STATE, idOf(c.cell)), true);
        case "set_loadable":
        case "start":
        case "destroy": {
          if (c.op === "destroy") broadcastAnswers(c.silent);
          if (!passive(c.cell)) policies[c.cell] = policy[c.vote];
          if (cellOf(c.cell)) return finish(m.rootDriver.cellCommand(hv, c.op, c.cell));
          // The driver would refuse an unknown name itself; the model is about the hypervisor's answer.
          const code = { set_loadable: "CELL_SET_LOADABLE", start: "CELL_START", destroy: "CELL_DESTROY" } as const;
          return finish(hv.hypercall(root, m.hypercallCodes[code[c.op]], idOf(c.cell)));
        }
        case "disable": {
          const cpus = [...(hv.s.cells[0]?.cpus ?? [])].sort((a, b) => a - b);
          const calls = cpus.map((cpu) => hv.hypercall(cpu, m.hypercallCodes.DISABLE));
          for (const call of calls) call.poll();
          const first = calls[0];
          if (first?.status === "done" && first.result !== 0) return finish(first);
          return calls.every((call) => call.status === "done" && call.result === 0) ? "ok" : "HANG";
        }
        case "write_state": {
          const cell = cellOf(c.cell);
          if (cell) m.writeOwnState(hv, cell, written[c.state]);
          return "ok";
        }
        case "cpus_fail":
          for (const cpu of runningCpus(c.cell)) m.guestAccess(hv, cpu, FORBIDDEN, 4, false);
          return "ok";
      }
    },
    abstractState(): AbstractState {
      const cells: Record<string, AbstractCellState> = {};
      for (const name of configs.keys()) {
        const cell = cellOf(name);
        cells[name] = cell ? abstractCell(m, hv, cell) : "absent";
      }
      return {
        cells,
        count: hv.s.cells.length,
        disabled: hv.s.disabled,
        hung,
        // Computed when read: walking the page tables is the costly part, and only ownership reads it.
        get holders() {
          return holdersOf(m, hv, resources);
        },
        exchange: exchange.state(),
        virtio: virtio.state(),
      };
    },
    invariants: () => m.checkInvariants(hv).map((v) => `${v.invariant}: ${v.message}`),
  };
}

function abstractCell(m: CoreModule, hv: Hypervisor, cell: Hypervisor["s"]["cells"][number]): AbstractCellState {
  const state = m.readComm(hv, cell, "cellState");
  if (state === 0) return "RUN";
  if (state === 1) return "LCK";
  if (state === 3) return "FL";
  if (state === 4) return "FCR";
  const executing = [...cell.cpus].some((c) => hv.s.cpus.get(c)?.mode === "running");
  return executing ? "SDC" : cell.loadable ? "SDL" : "SD0";
}

/** Warden's own core, as `warden conform` tests it by default. */
export function builtinImplementation(set: ConfigSet, mode: Mode): Implementation {
  return coreImplementation(hypervisorModule, set, mode);
}

type CoreCell = Hypervisor["s"]["cells"][number];
/** Host-physical ranges a cell reaches, computed once per abstract state. */
type Reach = readonly (readonly [bigint, bigint])[];
/** Each ResourceOwnership resource, with the test that tells whether a cell of the core holds it. */
type Holds = (reach: Reach, cell: CoreCell) => boolean;

/** The resources and their tests, once per configuration set and mode (every run builds a new core). */
const resourcesOf = new WeakMap<ConfigSet, Map<Mode, ReadonlyMap<string, Holds>>>();

function ownershipResources(set: ConfigSet, mode: Mode): ReadonlyMap<string, Holds> {
  const perMode = resourcesOf.get(set) ?? new Map<Mode, ReadonlyMap<string, Holds>>();
  resourcesOf.set(set, perMode);
  const known = perMode.get(mode) ?? resourcesFor(set, mode);
  perMode.set(mode, known);
  return known;
}

function resourcesFor(set: ConfigSet, mode: Mode): Map<string, Holds> {
  const spec = ownershipSpec(set, mode);
  const pciKeys = new Map<string, string>();
  for (const c of [set.system.config.root_cell, ...set.cells.map((x) => x.config)]) {
    for (const d of c.pci_devices) pciKeys.set(`pci ${d.domain}:${showBdf(d.bdf)}`, `${d.domain}:${d.bdf}`);
  }
  const out = new Map<string, Holds>();
  for (const r of [...spec.cpus, ...spec.resources]) {
    const [kind, arg = ""] = r.split(" ");
    if (kind?.startsWith("cpu")) out.set(r, (_reach, cell) => cell.cpus.has(Number(kind.slice(3))));
    else if (kind === "mem") {
      const [a, b] = arg.split("-").map((x) => BigInt(x)) as [bigint, bigint];
      out.set(r, (reach) => reach.some(([from, to]) => from < b && a < to));
    } else if (kind === "pci") out.set(r, (_reach, cell) => cell.pci.has(pciKeys.get(r) ?? ""));
    else if (kind === "irq") {
      const [chip, pin] = arg.split(":");
      out.set(r, (_reach, cell) => cell.pins.get(chip ?? "")?.has(Number(pin)) === true);
    } else if (kind === "pio") {
      const [base, length] = arg.split("+").map(Number);
      out.set(r, (_reach, cell) =>
        Array.from({ length: length ?? 0 }, (_, i) => (base ?? 0) + i).some(
          (p) => ((cell.pio[p >> 3] ?? 0) >> (p & 7)) & 1,
        ),
      );
    } else if (kind === "stream") out.set(r, (_reach, cell) => cell.streams.has(Number(arg)));
  }
  return out;
}

/**
 * The host-physical ranges a cell's page tables and sub-page table reach, walked with the module
 * under test's own `mappedRuns`: its cache is keyed to that module's table writes.
 */
function reachOf(m: CoreModule, hv: Hypervisor, cell: CoreCell): Reach {
  const pages = m
    .mappedRuns(hv.s, hv.arch.paging, cell.pageTable)
    .map((l) => [BigInt(l.frame) * 4096n, BigInt(l.frame + l.count) * 4096n] as const);
  return [...pages, ...cell.mmio.map((x) => [x.phys, x.phys + x.size] as const)];
}

function holdersOf(m: CoreModule, hv: Hypervisor, resources: ReadonlyMap<string, Holds>): Record<string, string[]> {
  const reach = new Map(hv.s.cells.map((cell) => [cell, reachOf(m, hv, cell)]));
  const out: Record<string, string[]> = {};
  for (const [r, holds] of resources) {
    out[r] = hv.s.cells
      .filter((cell) => holds(reach.get(cell) ?? [], cell))
      .map((cell) => (cell === hv.s.cells[0] ? "root" : cell.name))
      .sort();
  }
  return out;
}
