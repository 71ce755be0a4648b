/**
 * Nested VMX for x86 (Warden's design for KVM in a cell, not upstream Jailhouse): VMX
 * instructions of a cell whose configuration sets `warden_nested_vmx` are executed on its behalf
 * and validated; in any other cell they end the CPU as upstream's unhandled VM exit does.
 */
import type { CellConfig } from "../../config/types.js";
import type { CellState, Core, GuestOutcome, VmxInstruction } from "../../core/index.js";
import { nestedMemoryShrunk } from "./nestedEptShrink.js";
import { nestedWriteFault } from "./nestedEptWrite.js";
import { invept, nestedExit, vmentry } from "./vmxEntry.js";
import { vmxCell, vmxCpu, vmxOf } from "./vmxState.js";
import { vmclear, vmfail, vmptrld, vmread, vmwrite } from "./vmxVmcs.js";

/** Cells created through the binary format, which cannot carry the flag: their names, by hypervisor. */
const assigned = new WeakMap<Core["s"], Set<string>>();

/** Records the `warden_nested_vmx` flag of cells about to be created (the binary `.cell` does not carry it). */
export function nestedVmxAssign(core: Core, cells: readonly CellConfig[]): void {
  const names = assigned.get(core.s) ?? new Set<string>();
  for (const c of cells) if (c.warden_nested_vmx) names.add(c.name);
  assigned.set(core.s, names);
}

export function nestedVmxEnabled(core: Core, cell: CellState): boolean {
  return cell.config.warden_nested_vmx === true || (assigned.get(core.s)?.has(cell.name) ?? false);
}

export function vmxInstruction(core: Core, cell: CellState, cpu: number, insn: VmxInstruction): GuestOutcome {
  if (!nestedVmxEnabled(core, cell))
    return { kind: "fatal", reason: `${insn.op} in a cell without nested VMX (warden_nested_vmx)` };
  const vc = vmxCell(core, cell);
  const c = vmxCpu(core, cpu);
  if (insn.op === "exit") return nestedExit(c);
  if (c.running !== undefined) return vmfail(`${insn.op}: CPU ${cpu} is running its nested guest`);
  switch (insn.op) {
    case "vmptrld":
      return vmptrld(core, cell, vc, c, insn.address);
    case "vmclear":
      return vmclear(core, cell, vc, c, insn.address);
    case "vmread":
      return vmread(vc, c, insn.field);
    case "vmwrite":
      return vmwrite(core, cell, vc, c, insn.field, insn.value);
    case "vmlaunch":
    case "vmresume":
      return vmentry(core, cell, vc, c, insn.op);
    case "invept":
      return invept(vc, vmxOf(core).cpus.values(), insn.eptp);
  }
}

export function vmxWriteFault(
  core: Core,
  cell: CellState,
  _cpu: number,
  addr: bigint,
  width: number,
  value: bigint,
): GuestOutcome | undefined {
  const vc = vmxOf(core).cells.get(cell.id);
  return vc && nestedVmxEnabled(core, cell) ? nestedWriteFault(core, cell, vc, addr, width, value) : undefined;
}

export function vmxMemoryShrunk(core: Core, cell: CellState): void {
  if (nestedVmxEnabled(core, cell)) nestedMemoryShrunk(core, cell);
}

/** A destroyed cell's nested state goes with it. */
export function vmxCellDestroy(core: Core, cell: CellState): void {
  vmxOf(core).cells.delete(cell.id);
}
