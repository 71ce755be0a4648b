/**
 * Decoding an MSI address/data pair into the CPU it interrupts, per architecture, so the
 * hypervisor can check the CPU belongs to the device's cell.
 *
 * x86 (Intel SDM vol. 3, 11.11): address 0xFEE0_0000 | APIC ID << 12, physical destination mode
 * (bit 2 clear), no redirection hint (bit 3 clear), upper half zero; data: fixed delivery mode
 * (bits 10:8 zero) and a vector of 32..255 (0..31 are exceptions). Warden's CPU numbers are the
 * APIC IDs.
 * arm64 (GICv3, direct LPI injection): address = GICR base + CPU * 0x20000 + 0x40 (GICR_SETLPIR
 * of that CPU's redistributor), data = an LPI INTID of 8192..65535.
 */

export type MsiArch = "x86" | "arm64";

export type Destination = { readonly ok: true; readonly cpu: number } | { readonly ok: false; readonly reason: string };

export const X86_MSI_BASE = 0xfee0_0000n;
export const GICR_STRIDE = 0x2_0000n;
export const GICR_SETLPIR = 0x40n;

export function decodeDestination(arch: MsiArch, addr: bigint, data: number, gicrBase = 0n): Destination {
  return arch === "x86" ? decodeX86(addr, data) : decodeArm64(addr, data, gicrBase);
}

function decodeX86(addr: bigint, data: number): Destination {
  if (addr >> 32n !== 0n || (addr & 0xfff0_0000n) !== X86_MSI_BASE) return { ok: false, reason: "not an MSI address" };
  if ((addr & 0xcn) !== 0n) return { ok: false, reason: "logical destination or redirection hint" };
  if ((data & 0x700) !== 0) return { ok: false, reason: "delivery mode is not fixed" };
  if ((data & 0xff) < 32) return { ok: false, reason: `vector ${data & 0xff} is an exception vector` };
  return { ok: true, cpu: Number((addr >> 12n) & 0xffn) };
}

function decodeArm64(addr: bigint, data: number, gicrBase: bigint): Destination {
  const offset = addr - gicrBase;
  if (offset < 0n || offset % GICR_STRIDE !== GICR_SETLPIR) return { ok: false, reason: "not a GICR_SETLPIR address" };
  if (data < 8192 || data > 0xffff) return { ok: false, reason: `INTID ${data} is not an LPI` };
  return { ok: true, cpu: Number(offset / GICR_STRIDE) };
}

/** The address/data pair that names `cpu` (vector 0x40 on x86, LPI 8192 + `slot` on arm64). */
export function encodeDestination(arch: MsiArch, cpu: number, slot = 0, gicrBase = 0n): { addr: bigint; data: number } {
  return arch === "x86"
    ? { addr: X86_MSI_BASE | (BigInt(cpu) << 12n), data: 0x40 + slot }
    : { addr: gicrBase + BigInt(cpu) * GICR_STRIDE + GICR_SETLPIR, data: 8192 + slot };
}
