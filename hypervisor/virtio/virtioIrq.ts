/**
 * The virtio-mmio interrupt unit's operations: device events, guest register accesses (with the
 * hypervisor's handling where they trap), and delivery. Which accesses trap and where
 * destinations are validated is the unit's design ({@link IrqDesign}).
 */
import { decodeDestination } from "./msiDestination.js";
import { legacyCause, msiRegs } from "./msiRegisters.js";
import type { MsiVectorState, VirtioIrqDevice, VirtioIrqState } from "./virtioIrqState.js";

export function deviceOf(s: VirtioIrqState, name: string): VirtioIrqDevice {
  const d = s.devices.find((x) => x.name === name);
  if (!d) throw new Error(`no virtio device "${name}"`);
  return d;
}

/** The CPU a vector's entry interrupts, or -1 when the pair decodes to no CPU. */
export function destinationOf(s: VirtioIrqState, v: Pick<MsiVectorState, "addr" | "data">): number {
  const d = decodeDestination(s.arch, v.addr, v.data, s.gicrBase);
  return d.ok ? d.cpu : -1;
}

/** `msiEntryValid`: the entry names a CPU of the device's own cell in the architecture's format. */
export function msiEntryValid(
  s: VirtioIrqState,
  d: VirtioIrqDevice,
  v: Pick<MsiVectorState, "addr" | "data">,
): boolean {
  return d.cpus.includes(destinationOf(s, v));
}

/** The device raises vector `vector` (0: configuration change, others: a queue). */
export function irqDeviceEvent(s: VirtioIrqState, device: string, vector: number): void {
  const d = deviceOf(s, device);
  const v = d.vectors[vector];
  if (!v) throw new Error(`device ${device} has no vector ${vector}`);
  if (s.design === "legacy") d.isr |= vector === 0 ? legacyCause.CONFIG_CHANGE : legacyCause.USED_BUFFER;
  else v.pending = true;
}

const trapsAlways = new Set<number>([msiRegs.VEC_SEL, msiRegs.MASK, msiRegs.PENDING, msiRegs.VEC_NUM]);
const entryRegs = new Set<number>([msiRegs.ADDR_LO, msiRegs.ADDR_HI, msiRegs.DATA]);

function access(s: VirtioIrqState, cpu: number, device: string, offset: number): VirtioIrqDevice {
  const d = deviceOf(s, device);
  if (!d.cpus.includes(cpu)) throw new Error(`CPU ${cpu} is not in cell ${d.cell}, which owns ${device}`);
  s.counters.guestAccesses++;
  const legacyReg = offset === msiRegs.INTERRUPT_STATUS || offset === msiRegs.INTERRUPT_ACK;
  if (legacyReg || trapsAlways.has(offset) || (entryRegs.has(offset) && s.design === "trapped")) s.counters.traps++;
  return d;
}

/** The vector VECTOR_SEL selects, read once per handler; undefined when out of range. */
const selected = (d: VirtioIrqDevice): MsiVectorState | undefined => d.vectors[d.sel];

/** A 32-bit guest write to the register at `offset` of `device`. */
export function irqGuestWrite(s: VirtioIrqState, cpu: number, device: string, offset: number, value: number): void {
  const d = access(s, cpu, device, offset);
  if (offset === msiRegs.INTERRUPT_ACK) {
    d.isr &= ~value;
    d.lineInService = false;
    return;
  }
  if (s.design === "legacy") return;
  if (offset === msiRegs.VEC_SEL) {
    d.sel = value >>> 0;
    return;
  }
  const v = selected(d);
  if (!v) return;
  if (entryRegs.has(offset)) writeEntry(s, d, v, offset, value >>> 0);
  else if (offset === msiRegs.MASK) writeMask(s, d, v, (value & 1) === 1);
}

function writeEntry(s: VirtioIrqState, d: VirtioIrqDevice, v: MsiVectorState, offset: number, value: number): void {
  const next = { addr: v.addr, data: v.data };
  if (offset === msiRegs.ADDR_LO) next.addr = (v.addr & ~0xffff_ffffn) | BigInt(value);
  else if (offset === msiRegs.ADDR_HI) next.addr = (v.addr & 0xffff_ffffn) | (BigInt(value) << 32n);
  else next.data = value;
  if (s.design === "trapped" && !msiEntryValid(s, d, next)) {
    s.counters.refused++;
    return;
  }
  v.addr = next.addr;
  v.data = next.data;
}

function writeMask(s: VirtioIrqState, d: VirtioIrqDevice, v: MsiVectorState, mask: boolean): void {
  if (mask) {
    v.masked = true;
  } else if (s.design !== "trapped" && !msiEntryValid(s, d, v)) {
    s.counters.refused++;
  } else {
    v.masked = false;
  }
}

/** A 32-bit guest read; InterruptStatus is the legacy driver's way to learn the cause. */
export function irqGuestRead(s: VirtioIrqState, cpu: number, device: string, offset: number): number {
  const d = access(s, cpu, device, offset);
  const v = selected(d);
  switch (offset) {
    case msiRegs.INTERRUPT_STATUS:
      return d.isr;
    case msiRegs.VEC_NUM:
      return d.vectors.length;
    case msiRegs.VEC_SEL:
      return d.sel;
    case msiRegs.ADDR_LO:
      return v ? Number(v.addr & 0xffff_ffffn) : 0;
    case msiRegs.ADDR_HI:
      return v ? Number(v.addr >> 32n) : 0;
    case msiRegs.DATA:
      return v?.data ?? 0;
    case msiRegs.MASK:
      return v?.masked ? 1 : 0;
    case msiRegs.PENDING:
      return d.vectors.reduce((bits, x, i) => (x.pending && i < 32 ? bits | (1 << i) : bits), 0) >>> 0;
    default:
      return 0;
  }
}

export type DeliveryOutcome = "delivered" | "held" | "idle";

/**
 * The hypervisor injects `vector` of `device` (the legacy line when the design is legacy) if it
 * is pending and unmasked. The `delivery` design re-reads the entry and, when it left the cell,
 * masks the vector and keeps it pending instead.
 */
export function irqDeliver(s: VirtioIrqState, device: string, vector: number): DeliveryOutcome {
  const d = deviceOf(s, device);
  if (s.design === "legacy") {
    if (d.isr === 0 || d.lineInService) return "idle";
    d.lineInService = true;
    return record(s, d, -1, d.lineCpu);
  }
  const v = d.vectors[vector];
  if (!v?.pending || v.masked) return "idle";
  if (s.design === "delivery" && !msiEntryValid(s, d, v)) {
    v.masked = true;
    s.counters.refused++;
    return "held";
  }
  v.pending = false;
  return record(s, d, vector, destinationOf(s, v));
}

function record(s: VirtioIrqState, d: VirtioIrqDevice, vector: number, cpu: number): DeliveryOutcome {
  s.counters.deliveries++;
  s.log.push({ device: d.name, vector, cpu });
  return "delivered";
}

/** Delivers everything deliverable, device by device, vector by vector; returns how many were delivered. */
export function irqSettle(s: VirtioIrqState): number {
  let n = 0;
  for (const d of s.devices) {
    const targets = s.design === "legacy" ? [-1] : d.vectors.map((_, i) => i);
    for (const i of targets) if (irqDeliver(s, d.name, i) === "delivered") n++;
  }
  return n;
}
