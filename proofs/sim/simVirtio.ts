/**
 * `warden sim` commands of the virtio interrupt unit: `virtio event DEVICE VECTOR` (the device
 * raises a vector) and the guest actions `virtio-write DEVICE REG VALUE` / `virtio-read DEVICE
 * REG`, REG being a register name of hypervisor/virtio/msiRegisters.ts or an offset.
 */
import { type Hypervisor, msiRegs, virtioEvent, virtioOf, virtioRead, virtioWrite } from "../../hypervisor/index.js";

type Fail = (message: string) => Error;

function register(word: string | undefined, fail: Fail): number {
  if (word === undefined) throw fail("a register name or offset is missing");
  const named = (msiRegs as Readonly<Record<string, number>>)[word.toUpperCase()];
  if (named !== undefined) return named;
  const n = Number(word);
  if (!Number.isInteger(n) || n < 0) throw fail(`"${word}" is not a register (${Object.keys(msiRegs).join(", ")})`);
  return n;
}

const summary = (hv: Hypervisor): string => {
  const c = virtioOf(hv).counters;
  return `delivered ${c.deliveries}, traps ${c.traps}, guest accesses ${c.guestAccesses}, refused ${c.refused}`;
};

/** `virtio event DEVICE VECTOR`. */
export function simVirtioCommand(
  hv: Hypervisor,
  args: readonly string[],
  fail: Fail,
): { result: string; detail: string } {
  const [sub, device, vector] = args;
  if (sub !== "event" || !device || vector === undefined || !/^\d+$/.test(vector))
    throw fail("usage: virtio event DEVICE VECTOR");
  virtioEvent(hv, device, Number(vector));
  return { result: "ok", detail: summary(hv) };
}

/** The guest actions `virtio-write DEVICE REG VALUE` and `virtio-read DEVICE REG` from `cpu`. */
export function simVirtioGuest(
  hv: Hypervisor,
  cpu: number,
  action: string,
  args: readonly string[],
  fail: Fail,
): { result: string; detail: string } {
  const [device, reg, value] = args;
  if (!device) throw fail(`usage: guest NAME ${action} DEVICE REG${action === "virtio-write" ? " VALUE" : ""}`);
  const offset = register(reg, fail);
  if (action === "virtio-read")
    return { result: `0x${virtioRead(hv, cpu, device, offset).toString(16)}`, detail: summary(hv) };
  const v = Number(value);
  if (value === undefined || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff)
    throw fail("usage: guest NAME virtio-write DEVICE REG VALUE (a 32-bit value)");
  virtioWrite(hv, cpu, device, offset, v);
  return { result: "ok", detail: summary(hv) };
}
