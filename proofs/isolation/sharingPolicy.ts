/**
 * The user's declaration of intended sharing between non-root cells, each with a reason: memory
 * (e.g. a debug UART page), port I/O ranges (the x86 demos share a serial port on purpose), IRQ
 * pins of one interrupt controller, and physical PCI devices:
 *
 *   sharing:
 *     - cells: [rt, linux]
 *       phys_start: "0x3f8000"
 *       size: "0x1000"
 *       reason: "both cells print to the board's debug UART"
 *     - cells: [rt, linux]
 *       pio_base: "0x3f8"
 *       pio_length: 8
 *       reason: "both cells write to COM1"
 *     - cells: [rt, linux]
 *       irqchip: "0xfec00000"
 *       pins: [4]
 *       reason: "..."
 *     - cells: [rt, linux]
 *       pci_bdf: "00:1f.0"
 *       reason: "..."
 *
 * Each entry becomes ranges in the value space of the rule it relaxes (addresses, ports, the IRQ
 * rule's chip << 16 | pin, the PCI rule's BDF).
 */
import { z } from "zod";
import { readYamlFile } from "../pipeline/readYamlFile.js";

export type SharedResource = "memory" | "pio" | "irq" | "pci";

export interface SharingDeclaration {
  readonly cells: readonly string[];
  /** Memory when absent (the original form). */
  readonly resource?: SharedResource;
  readonly start: bigint;
  readonly end: bigint;
  readonly reason: string;
}

const address = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(0x[0-9a-fA-F]+|\d+)$/, "expected a number or 0x… string"),
]);
const bdf = z.string().regex(/^[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2}\.[0-7]$/, 'expected a PCI address "bus:dev.fn"');

const common = {
  cells: z.array(z.string()).min(2, "name at least two cells"),
  reason: z.string().min(1, "say why the sharing is intended"),
};

const entry = z.union([
  z.strictObject({ ...common, phys_start: address, size: address }),
  z.strictObject({ ...common, pio_base: address, pio_length: address }),
  z.strictObject({ ...common, irqchip: address, pins: z.array(z.number().int().min(0).max(0xffff)).min(1) }),
  z.strictObject({ ...common, pci_bdf: bdf }),
]);

const policySchema = z.strictObject({ sharing: z.array(entry) });

const bdfValue = (text: string): bigint => {
  const [bus = "0", rest = "0.0"] = text.split(":");
  const [dev = "0", fn = "0"] = rest.split(".");
  return BigInt((Number.parseInt(bus, 16) << 8) | (Number.parseInt(dev, 16) << 3) | Number(fn));
};

export function readSharingPolicy(path: string): SharingDeclaration[] {
  return readYamlFile(path, policySchema, "sharing policy").sharing.flatMap((d): SharingDeclaration[] => {
    const base = { cells: d.cells, reason: d.reason };
    if ("phys_start" in d) {
      const start = BigInt(d.phys_start);
      return [{ ...base, resource: "memory", start, end: start + BigInt(d.size) }];
    }
    if ("pio_base" in d) {
      const start = BigInt(d.pio_base);
      return [{ ...base, resource: "pio", start, end: start + BigInt(d.pio_length) }];
    }
    if ("irqchip" in d) {
      const chip = BigInt(d.irqchip) << 16n;
      return d.pins.map((pin) => ({
        ...base,
        resource: "irq" as const,
        start: chip | BigInt(pin),
        end: (chip | BigInt(pin)) + 1n,
      }));
    }
    const at = bdfValue(d.pci_bdf);
    return [{ ...base, resource: "pci", start: at, end: at + 1n }];
  });
}

/** The declarations relaxing one rule's resource. */
export const declaredFor = (policy: readonly SharingDeclaration[], resource: SharedResource) =>
  policy.filter((p) => (p.resource ?? "memory") === resource);
