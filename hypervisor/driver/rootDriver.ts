/**
 * The Linux root-cell driver's side of management (driver/cell.c, driver/main.c): the checks it
 * makes before a hypercall, the cell id it picks, where it places a configuration in root memory,
 * and the multi-step DISABLE. Each operation is a `Call` the caller polls like a hypercall.
 */
import { encodeCell } from "../config/binary/index.js";
import { cellFlags, memFlags } from "../config/flags.js";
import type { CellConfig } from "../config/types.js";
import {
  Call,
  type CellState,
  cpuState,
  errno,
  guestWritable,
  type Hypervisor,
  hypercallCodes,
  isRoot,
  rootCell,
  type Wait,
  writeGuest,
} from "../core/index.js";

type Driver = Generator<Wait, number, boolean>;

/** The root CPU the driver runs on: the lowest one executing Linux. */
export function driverCpu(hv: Hypervisor): number {
  const cpu = [...rootCell(hv).cpus]
    .sort((a, b) => a - b)
    .find((c) => {
      const s = cpuState(hv, c);
      return s.mode === "running" && !s.suspended && !s.failed;
    });
  if (cpu === undefined) throw new Error("no root CPU is running Linux");
  return cpu;
}

/** Waits for a hypercall to finish, passing the hypervisor's waits (and the driver's idleness) through. */
function* completion(call: Call): Driver {
  while (call.status !== "done") {
    const idle = yield call.wait as Wait;
    call.poll(idle);
  }
  return call.result as number;
}

const fail = (name: keyof typeof errno): number => -errno[name];

/** `jailhouse cell create`: driver checks, id choice, staging in root memory, CELL_CREATE. */
export function cellCreate(hv: Hypervisor, config: CellConfig): Call {
  const cpu = driverCpu(hv);
  return new Call(cpu, "cell create", createSteps(hv, cpu, config));
}

function* createSteps(hv: Hypervisor, cpu: number, config: CellConfig): Driver {
  // Upstream bug at master: an architecture mismatch is reported but 0 returned, nothing created.
  if (config.arch !== hv.s.system.arch && !(config.arch === "arm" && hv.s.system.arch === "arm64")) return 0;
  if (hv.s.cells.some((c) => c.name === config.name)) return fail("EEXIST");
  let id = 1;
  while (hv.s.cells.some((c) => c.id === id)) id++;
  const root = rootCell(hv);
  if (config.cpus.some((c) => !root.cpus.has(c))) return fail("EBUSY");
  if (hv.s.system.arch === "x86" && config.cpus.includes(0)) return fail("EINVAL");
  const active = (config.flags & cellFlags.VIRTUAL_CONSOLE_ACTIVE) !== 0;
  const flags = active ? (config.flags | cellFlags.VIRTUAL_CONSOLE_PERMITTED) >>> 0 : config.flags;
  const address = stageConfig(hv, encodeCell({ ...config, id, flags }));
  if (address === undefined) return fail("ENOMEM");
  const result = yield* completion(hv.hypercall(cpu, hypercallCodes.CELL_CREATE, address));
  // On failure the driver brings the CPUs it had taken offline back online.
  if (result < 0)
    for (const c of config.cpus) if (root.cpus.has(c)) Object.assign(cpuState(hv, c), { mode: "running" });
  return result;
}

/**
 * Writes a configuration where the driver's copy lives in root memory — the end of the last root
 * RAM region (read-write-execute) still fully mapped in root — and returns its address.
 */
export function stageConfig(hv: Hypervisor, bytes: Uint8Array): bigint | undefined {
  const at = stagingAddress(hv, rootCell(hv), bytes.length);
  return at !== undefined && writeGuest(hv, rootCell(hv), at, bytes) ? at : undefined;
}

function stagingAddress(hv: Hypervisor, root: CellState, length: number): bigint | undefined {
  const size = BigInt(Math.ceil(length / 4096) * 4096);
  const ram = memFlags.READ | memFlags.WRITE | memFlags.EXECUTE;
  for (const m of [...root.config.memory_regions].reverse()) {
    if ((m.flags & ram) !== ram || m.size < size) continue;
    const at = m.phys_start + ((m.size - size) & ~4095n);
    if (guestWritable(hv, root, at, Number(size))) return at;
  }
  return undefined;
}

/** `jailhouse cell start|shutdown|load|destroy NAME`: the driver looks the name up and issues the hypercall. */
export function cellCommand(hv: Hypervisor, command: "start" | "set_loadable" | "destroy", name: string): Call {
  const cpu = driverCpu(hv);
  const cell = hv.s.cells.find((c) => c.name === name);
  const code = {
    start: hypercallCodes.CELL_START,
    set_loadable: hypercallCodes.CELL_SET_LOADABLE,
    destroy: hypercallCodes.CELL_DESTROY,
  }[command];
  if (!cell) return new Call(cpu, `cell ${command}`, fail("ENOENT"));
  // The driver's cell list holds the root cell too (driver/cell.c find_cell): the hypercall goes out
  // with id 0 and the hypervisor's prologue refuses it with -EINVAL.
  const ids = isRoot(hv, cell) ? new Set<number>() : cell.cpus;
  return new Call(
    cpu,
    `cell ${command}`,
    commandSteps(hv, cpu, code, cell.id, command === "destroy" ? ids : new Set()),
  );
}

function* commandSteps(hv: Hypervisor, cpu: number, code: number, id: number, returning: ReadonlySet<number>): Driver {
  const result = yield* completion(hv.hypercall(cpu, code, BigInt(id)));
  // After destroy the driver brings the returned CPUs online in Linux again.
  if (result === 0) for (const c of returning) Object.assign(cpuState(hv, c), { mode: "running" });
  return result;
}

/** `jailhouse disable`: destroy every non-root cell (each votes), then DISABLE on every root CPU. */
export function disable(hv: Hypervisor): Call {
  const cpu = driverCpu(hv);
  return new Call(cpu, "disable", disableSteps(hv, cpu));
}

function* disableSteps(hv: Hypervisor, cpu: number): Driver {
  for (const cell of hv.s.cells.slice(1)) {
    const result = yield* commandSteps(hv, cpu, hypercallCodes.CELL_DESTROY, cell.id, new Set(cell.cpus));
    if (result !== 0) return result;
  }
  const root = rootCell(hv);
  if ([...root.cpus].some((c) => cpuState(hv, c).mode !== "running")) return fail("EBUSY");
  const calls = [...root.cpus].sort((a, b) => a - b).map((c) => hv.hypercall(c, hypercallCodes.DISABLE));
  for (;;) {
    for (const c of calls) c.poll();
    const pending = calls.find((c) => c.status !== "done");
    if (!pending) break;
    yield pending.wait as Wait;
  }
  return calls.find((c) => (c.result as number) < 0)?.result ?? 0;
}
