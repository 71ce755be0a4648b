/**
 * What a cell can do from its CPUs: access memory and MMIO, I/O ports, send IPIs, route
 * interrupts, power CPUs on, request a system reset. Anything outside the cell's own resources is
 * refused as upstream does: the access traps and the CPU parks as failed (`panic_park`); when all
 * of a cell's CPUs have failed, the cell is FAILED. Another cell's state is never touched.
 */
import { memFlags } from "../config/flags.js";
import { cellStateCodes, stats } from "./abi.js";
import type { GuestOutcome, VmxInstruction } from "./archOps.js";
import { writeComm } from "./commRegion.js";
import { type Core, cellOfCpu, countStat, cpuState, isRoot } from "./context.js";
import { pte, translate } from "./pageTable.js";
import { readPhysInt, writePhysInt } from "./physicalMemory.js";
import type { CellState } from "./state.js";

export type { GuestOutcome };

/** The acting CPU must be executing guest code; otherwise the caller (a script) made a mistake. */
function actingCell(core: Core, cpu: number): CellState {
  if (core.s.disabled) throw new Error("the hypervisor is disabled");
  const c = cpuState(core, cpu);
  if (c.mode !== "running" || c.suspended) {
    throw new Error(`CPU ${cpu} is ${c.suspended ? "suspended" : c.failed ? "failed" : c.mode} and executes nothing`);
  }
  return cellOfCpu(core, cpu);
}

/** `panic_park`: the CPU stops as failed; a cell whose CPUs have all failed is FAILED. */
export function panicPark(core: Core, cpu: number, reason: string): GuestOutcome {
  const c = cpuState(core, cpu);
  c.failed = true;
  c.mode = "parked";
  c.suspended = false;
  const cell = cellOfCpu(core, cpu);
  if (!isRoot(core, cell) && [...cell.cpus].every((n) => cpuState(core, n).failed)) {
    writeComm(core, cell, "cellState", cellStateCodes.FAILED);
  }
  return { kind: "fatal", reason };
}

function settle(core: Core, cpu: number, outcome: GuestOutcome): GuestOutcome {
  return outcome.kind === "fatal" ? panicPark(core, cpu, outcome.reason) : outcome;
}

const widths = [1, 2, 4, 8];

/** A load or store of `width` bytes at guest-physical `addr`. */
export function guestAccess(
  core: Core,
  cpu: number,
  addr: bigint,
  width: number,
  write: boolean,
  value = 0n,
): GuestOutcome {
  const cell = actingCell(core, cpu);
  if (!widths.includes(width)) throw new Error(`access width ${width} is not 1, 2, 4 or 8`);
  const kind = write ? "write" : "read";
  const where = `0x${addr.toString(16)}`;
  const t = translate(core.s, core.arch.paging, cell.pageTable, Number(addr / 4096n));
  const needed = write ? pte.WRITE : pte.READ;
  if (t && (t.flags & needed) !== 0 && (addr % 4096n) + BigInt(width) <= 4096n) {
    const phys = BigInt(t.frame) * 4096n + (addr % 4096n);
    if (write) writePhysInt(core.s, phys, width, value);
    return write ? { kind: "ok" } : { kind: "ok", value: readPhysInt(core.s, phys, width) };
  }
  countStat(core, cpu, stats.MMIO);
  const trapped = t && write ? core.arch.writeFault?.(core, cell, cpu, addr, width, value) : undefined;
  if (trapped) return settle(core, cpu, trapped);
  if (t) return panicPark(core, cpu, `${kind} of ${where} is not permitted by the cell's page tables`);
  const sub = cell.mmio.find((r) => addr >= r.start && addr + BigInt(width) <= r.start + r.size);
  if (sub) {
    const flag = write ? memFlags.WRITE : memFlags.READ;
    const widthBit = BigInt(width) << 16n;
    if ((sub.flags & flag) === 0n) return panicPark(core, cpu, `sub-page region forbids ${kind} at ${where}`);
    if ((sub.flags & widthBit) === 0n)
      return panicPark(core, cpu, `sub-page region forbids ${width}-byte access at ${where}`);
    if (addr % BigInt(width) !== 0n && (sub.flags & memFlags.IO_UNALIGNED) === 0n) {
      return panicPark(core, cpu, `unaligned ${width}-byte access at ${where}`);
    }
    const phys = sub.phys + (addr - sub.start);
    if (write) writePhysInt(core.s, phys, width, value);
    return write ? { kind: "ok" } : { kind: "ok", value: readPhysInt(core.s, phys, width) };
  }
  const emulated = core.arch.emulatedMmio(core, cell, addr, write);
  if (emulated) return settle(core, cpu, emulated);
  return panicPark(core, cpu, `${kind} of ${where} is outside the cell`);
}

export function guestPio(core: Core, cpu: number, port: number, width: number, write: boolean): GuestOutcome {
  if (![1, 2, 4].includes(width)) throw new Error(`port access width ${width} is not 1, 2 or 4`);
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new Error(`I/O port ${port} is not 0..0xffff`);
  return settle(core, cpu, core.arch.pio(core, actingCell(core, cpu), cpu, port, width, write));
}

/** An IPI the architecture lets through is delivered: the target's count goes up. */
export function guestIpi(core: Core, cpu: number, target: number): GuestOutcome {
  const outcome = settle(core, cpu, core.arch.ipi(core, actingCell(core, cpu), cpu, target));
  const to = core.s.cpus.get(target);
  if (outcome.kind === "ok" && to) to.interrupts++;
  return outcome;
}

export function guestRouteIrq(core: Core, cpu: number, pin: number, target: number): GuestOutcome {
  return settle(core, cpu, core.arch.routeIrq(core, actingCell(core, cpu), cpu, pin, target));
}

export function guestCpuOn(core: Core, cpu: number, target: number): GuestOutcome {
  return settle(core, cpu, core.arch.cpuOn(core, actingCell(core, cpu), cpu, target));
}

/** A VMX instruction executed by the cell's CPU (nested VMX); the architecture decides. */
export function guestVmx(core: Core, cpu: number, instruction: VmxInstruction): GuestOutcome {
  return settle(core, cpu, core.arch.vmx(core, actingCell(core, cpu), cpu, instruction));
}

export function guestSystemReset(core: Core, cpu: number): GuestOutcome {
  return settle(core, cpu, core.arch.systemReset(core, actingCell(core, cpu), cpu));
}
