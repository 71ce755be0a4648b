import type { Ref } from "./intervals.js";
import type { ObligationResult, Witness } from "./proveIsolation.js";

const where = (r: Ref): string =>
  `${r.cell} ${r.what} (${r.file}${r.byteOffset !== undefined ? ` @ byte 0x${r.byteOffset.toString(16)}` : ""}${r.field ? ` ${r.field}` : ""})`;

/** The shared value in the rule's own terms: an address, a CPU, a port, a PCI address or a pin. */
function value(rule: string, at: bigint): string {
  const low = at & ((1n << 64n) - 1n);
  if (rule.startsWith("WRD-CPU")) return `CPU ${at}`;
  if (rule === "WRD-STREAM-EXCLUSIVE") return `stream 0x${at.toString(16)}`;
  if (rule === "WRD-PIO-EXCLUSIVE") return `port 0x${at.toString(16)}`;
  if (rule === "WRD-PCI-EXCLUSIVE")
    return `PCI ${((at >> 8n) & 0xffn).toString(16).padStart(2, "0")}:${((at >> 3n) & 0x1fn).toString(16).padStart(2, "0")}.${at & 7n} (any domain)`;
  if (rule === "WRD-IRQ-EXCLUSIVE") return `pin ${at & 0xffffn} of the chip at 0x${(at >> 16n).toString(16)}`;
  if (rule === "WRD-IVSHMEM-SLOT") return `ivshmem endpoint ${at & 0xffn} of link 0x${(at >> 8n).toString(16)}`;
  return `address 0x${low.toString(16)}`;
}

export function describeWitness(o: ObligationResult, w: Witness): string {
  return `${value(o.rule.id, w.at)} is in ${where(w.first)} and in ${where(w.second)}`;
}
