/**
 * VMPTRLD, VMCLEAR, VMREAD and VMWRITE on behalf of a cell's hypervisor: the VMCS is the
 * hypervisor's shadow, named by an address the cell owns; VMWRITE goes through the field table
 * (vmxFields.ts). A refusal is VMfail (`ignored`): KVM sees the error, other cells see nothing.
 */
import type { CellState, Core, GuestOutcome } from "../../core/index.js";
import { EPT_ADDRESS_MASK, type EptRegion } from "./nestedEptEntry.js";
import { cellEptRegions } from "./nestedEptRegions.js";
import { vmcsFields } from "./vmxFields.js";
import type { VmcsShadow, VmxCell, VmxCpu } from "./vmxState.js";

const ok: GuestOutcome = { kind: "ok" };
export const vmfail = (reason: string): GuestOutcome => ({ kind: "ignored", reason: `VMfail: ${reason}` });
const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Whether [address, address + limit) lies in one region of the cell with the rights asked. */
export function insideCell(regions: readonly EptRegion[], address: bigint, limit: bigint, write: boolean): boolean {
  return regions.some(
    (r) => r.read && (!write || r.write) && address >= r.start && address + limit <= r.start + r.size,
  );
}

function region(core: Core, cell: CellState, vc: VmxCell, address: bigint): string | undefined {
  if (address % 4096n !== 0n) return `${hex(address)} is not page-aligned`;
  if (!insideCell(cellEptRegions(core, cell, vc), address, 4096n, true))
    return `${hex(address)} is outside the cell's memory`;
  return undefined;
}

export function vmptrld(core: Core, cell: CellState, vc: VmxCell, c: VmxCpu, address: bigint): GuestOutcome {
  const bad = region(core, cell, vc, address);
  if (bad) return vmfail(`VMPTRLD ${bad}`);
  if (!vc.vmcs.has(address)) vc.vmcs.set(address, { fields: new Map(), launched: false });
  c.current = address;
  return ok;
}

export function vmclear(core: Core, cell: CellState, vc: VmxCell, c: VmxCpu, address: bigint): GuestOutcome {
  const bad = region(core, cell, vc, address);
  if (bad) return vmfail(`VMCLEAR ${bad}`);
  const v = vc.vmcs.get(address);
  if (v) v.launched = false;
  if (c.current === address) c.current = undefined;
  return ok;
}

export function currentVmcs(vc: VmxCell, c: VmxCpu): VmcsShadow | undefined {
  return c.current === undefined ? undefined : vc.vmcs.get(c.current);
}

export function vmread(vc: VmxCell, c: VmxCpu, field: number): GuestOutcome {
  const v = currentVmcs(vc, c);
  if (!v) return vmfail("no current VMCS");
  if (!vmcsFields.has(field)) return vmfail(`unsupported VMCS field ${hex(BigInt(field))}`);
  return { kind: "ok", value: v.fields.get(field) ?? 0n };
}

/** Why a value may not go into a field, or undefined when it may (also used again at VM entry). */
export function fieldRefusal(regions: readonly EptRegion[], field: number, value: bigint): string | undefined {
  const f = vmcsFields.get(field);
  if (!f) return `unsupported VMCS field ${hex(BigInt(field))}`;
  switch (f.kind) {
    case "readOnly":
      return `${f.name} is read-only`;
    case "guest":
      return undefined;
    case "address":
      return value % 4096n === 0n && insideCell(regions, value, f.limit, f.write)
        ? undefined
        : `${f.name} ${hex(value)} (${hex(f.limit)} bytes) is outside the cell's memory`;
    case "eptp":
      return insideCell(regions, value & EPT_ADDRESS_MASK, 4096n, false)
        ? undefined
        : `${f.name} root ${hex(value & EPT_ADDRESS_MASK)} is outside the cell's memory`;
    case "control":
      return (value & ~f.allowed) !== 0n ? `${f.name}: unsupported controls ${hex(value & ~f.allowed)}` : undefined;
  }
}

export function vmwrite(
  core: Core,
  cell: CellState,
  vc: VmxCell,
  c: VmxCpu,
  field: number,
  value: bigint,
): GuestOutcome {
  const v = currentVmcs(vc, c);
  if (!v) return vmfail("no current VMCS");
  const refused = fieldRefusal(cellEptRegions(core, cell, vc), field, value);
  if (refused) return vmfail(`VMWRITE ${refused}`);
  v.fields.set(field, value);
  return ok;
}
