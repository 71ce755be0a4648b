/**
 * VMLAUNCH / VMRESUME, the nested guest's exit and INVEPT. Entry re-checks every field against
 * the cell's memory as it is now (it may have shrunk since the VMWRITE) and runs the nested
 * guest only on an EPT the hypervisor holds valid, walking it first if it does not.
 */
import type { CellState, Core, GuestOutcome } from "../../core/index.js";
import { EPT_ADDRESS_MASK } from "./nestedEptEntry.js";
import { cellEptRegions } from "./nestedEptRegions.js";
import { validateAndTrack } from "./nestedEptTracking.js";
import { requiredControls, vmcsFields } from "./vmxFields.js";
import type { VmxCell, VmxCpu } from "./vmxState.js";
import { currentVmcs, fieldRefusal, vmfail } from "./vmxVmcs.js";

const EPT_POINTER = 0x201a;

export function vmentry(
  core: Core,
  cell: CellState,
  vc: VmxCell,
  c: VmxCpu,
  op: "vmlaunch" | "vmresume",
): GuestOutcome {
  const v = currentVmcs(vc, c);
  if (!v) return vmfail("no current VMCS");
  if (v.launched !== (op === "vmresume")) return vmfail(`${op} with a VMCS ${v.launched ? "" : "not "}launched`);
  for (const field of requiredControls) {
    const f = vmcsFields.get(field);
    const value = v.fields.get(field) ?? 0n;
    if (f?.kind === "control" && (value & f.required) !== f.required)
      return vmfail(`${f.name} lacks required controls (nested guests run only with EPT)`);
  }
  const regions = cellEptRegions(core, cell, vc);
  for (const [field, value] of v.fields) {
    const refused = fieldRefusal(regions, field, value);
    if (refused) return vmfail(`${op}: ${refused}`);
  }
  const eptp = v.fields.get(EPT_POINTER);
  if (eptp === undefined) return vmfail(`${op} without an EPT pointer`);
  const root = eptp & EPT_ADDRESS_MASK;
  if (!vc.epts.get(root)?.valid) {
    const refused = validateAndTrack(core, cell, vc, eptp, root);
    if (refused) return vmfail(`${op}: the EPT is refused: ${refused}`);
  }
  v.launched = true;
  c.running = root;
  return { kind: "ok" };
}

/** The nested guest on this CPU exits to the cell's hypervisor. */
export function nestedExit(c: VmxCpu): GuestOutcome {
  if (c.running === undefined) return vmfail("no nested guest runs on this CPU");
  c.running = undefined;
  c.lastExit = "exit";
  return { kind: "ok" };
}

/**
 * INVEPT (single context): for an EPT the hypervisor holds invalid and no CPU runs on, it
 * forgets the EPT and stops tracking its pages (their protection is dropped at the next trapped
 * write); for a valid one it only flushes what the processor cached.
 */
export function invept(vc: VmxCell, cpus: Iterable<VmxCpu>, eptp: bigint): GuestOutcome {
  const root = eptp & EPT_ADDRESS_MASK;
  const ept = vc.epts.get(root);
  if (ept && !ept.valid && ![...cpus].some((c) => c.running === root)) vc.epts.delete(root);
  return { kind: "ok" };
}
