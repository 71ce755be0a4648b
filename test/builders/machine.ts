/** Booting the example machines and driving the core from tests, the way `warden sim` does. */
import {
  type AgentPolicy,
  agentStep,
  archFor,
  type Call,
  type CellConfig,
  type ConfigSet,
  cooperative,
  encodeCell,
  Hypervisor,
  hypercallCodes,
  type Mode,
  rootCell,
  rootDriver,
  writeGuest,
} from "../../hypervisor/index.js";
import { type ExampleName, loadExampleSet } from "../../proofs/index.js";

export function boot(
  set: ConfigSet | ExampleName = "x86",
  mode: Mode = "upstream",
): { hv: Hypervisor; set: ConfigSet } {
  const s = typeof set === "string" ? loadExampleSet(set) : set;
  const system = s.system.config;
  return { hv: Hypervisor.enable(system, archFor(system.arch), mode), set: s };
}

/** Polls a call to completion with each cell's agent acting between polls (cooperative unless told otherwise). */
export function drive(hv: Hypervisor, call: Call, policies: Readonly<Record<string, AgentPolicy>> = {}): Call {
  for (let i = 0; i < 1_000_000 && call.status !== "done" && call.status !== "blocked"; i++) {
    let acted = false;
    for (const cell of hv.s.cells.slice(1))
      acted = agentStep(hv, cell, policies[cell.name] ?? cooperative) !== undefined || acted;
    call.poll(!acted);
  }
  return call;
}

/** Creates and starts every cell of the set through the driver; throws unless all succeed. */
export function bootAll(set: ExampleName = "x86", mode: Mode = "upstream"): { hv: Hypervisor; set: ConfigSet } {
  const booted = boot(set, mode);
  for (const c of booted.set.cells)
    expectOk(drive(booted.hv, rootDriver.cellCreate(booted.hv, c.config)), `create ${c.config.name}`);
  for (const c of booted.set.cells)
    expectOk(drive(booted.hv, rootDriver.cellCommand(booted.hv, "start", c.config.name)), `start ${c.config.name}`);
  return booted;
}

function expectOk(call: Call, what: string): void {
  if (call.result !== 0) throw new Error(`${what} gave ${call.result} (${call.status})`);
}

/** Writes a configuration into root memory at `address` (as the driver would) and returns the address. */
export function stage(hv: Hypervisor, config: CellConfig | Uint8Array, address = 0x1000000n): bigint {
  const bytes = config instanceof Uint8Array ? config : encodeCell(config);
  if (!writeGuest(hv, rootCell(hv), address, bytes)) throw new Error("staging address not mapped in root");
  return address;
}

/** Issues CELL_CREATE directly (no driver checks) from `cpu` for a configuration staged in root memory. */
export function rawCreate(hv: Hypervisor, config: CellConfig, cpu = 0, address?: bigint): Call {
  return drive(hv, hv.hypercall(cpu, hypercallCodes.CELL_CREATE, stage(hv, config, address)));
}

/** A cell configuration from the example set, with an id (the driver's job) and overrides. */
export function cellOf(set: ConfigSet, index: number, overrides: Partial<CellConfig> = {}): CellConfig {
  const c = set.cells[index]?.config;
  if (!c) throw new Error(`no cell ${index}`);
  return { ...c, id: index + 1, ...overrides };
}
