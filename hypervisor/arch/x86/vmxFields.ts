/**
 * The VMCS fields a cell's hypervisor may use, with how a VMWRITE is checked: plain guest state
 * is taken as is; an address field must name memory the cell owns, `limit` bytes from the
 * address (with the rights the processor needs there); a control may set only the bits the
 * design supports; read-only fields refuse writes. Anything not in the table is refused.
 * Encodings from the Intel SDM, appendix B.
 */

export type VmcsField =
  | { readonly name: string; readonly kind: "guest" | "readOnly" }
  | { readonly name: string; readonly kind: "address"; readonly limit: bigint; readonly write: boolean }
  | { readonly name: string; readonly kind: "eptp" }
  | { readonly name: string; readonly kind: "control"; readonly allowed: bigint; readonly required: bigint };

/** Secondary controls: bit 1 enable EPT (required: nested guests run only on validated EPTs), bit 7 unrestricted guest. */
const SECONDARY_ALLOWED = (1n << 1n) | (1n << 7n);
/** Primary processor controls: HLT/INVLPG/CR3 exiting and friends; bit 31 (secondary controls) required, bit 28 MSR bitmaps, bit 25 I/O bitmaps. */
const PRIMARY_ALLOWED = (1n << 31n) | (1n << 28n) | (1n << 25n) | (1n << 7n) | (1n << 9n) | (1n << 15n) | (1n << 16n);

export const vmcsFields: ReadonlyMap<number, VmcsField> = new Map<number, VmcsField>([
  [0x2000, { name: "IO_BITMAP_A", kind: "address", limit: 0x1000n, write: false }],
  [0x2002, { name: "IO_BITMAP_B", kind: "address", limit: 0x1000n, write: false }],
  [0x2004, { name: "MSR_BITMAP", kind: "address", limit: 0x1000n, write: false }],
  [0x2012, { name: "VIRTUAL_APIC_PAGE_ADDR", kind: "address", limit: 0x1000n, write: true }],
  [0x201a, { name: "EPT_POINTER", kind: "eptp" }],
  [0x4000, { name: "PIN_BASED_VM_EXEC_CONTROL", kind: "control", allowed: 1n | (1n << 3n), required: 0n }],
  [0x4002, { name: "CPU_BASED_VM_EXEC_CONTROL", kind: "control", allowed: PRIMARY_ALLOWED, required: 1n << 31n }],
  [0x401e, { name: "SECONDARY_VM_EXEC_CONTROL", kind: "control", allowed: SECONDARY_ALLOWED, required: 1n << 1n }],
  [0x4402, { name: "VM_EXIT_REASON", kind: "readOnly" }],
  [0x6400, { name: "EXIT_QUALIFICATION", kind: "readOnly" }],
  [0x2400, { name: "GUEST_PHYSICAL_ADDRESS", kind: "readOnly" }],
  [0x6802, { name: "GUEST_CR3", kind: "guest" }],
  [0x681c, { name: "GUEST_RSP", kind: "guest" }],
  [0x681e, { name: "GUEST_RIP", kind: "guest" }],
  [0x6820, { name: "GUEST_RFLAGS", kind: "guest" }],
]);

/** A field's encoding by name (the sim's and the agent's spelling), or undefined. */
export function vmcsFieldByName(name: string): number | undefined {
  for (const [encoding, f] of vmcsFields) if (f.name === name.toUpperCase()) return encoding;
  return undefined;
}

/** The control fields with a required setting, checked again at VMLAUNCH (an unwritten control reads 0). */
export const requiredControls: readonly number[] = [...vmcsFields]
  .filter(([, f]) => f.kind === "control" && f.required !== 0n)
  .map(([e]) => e);
