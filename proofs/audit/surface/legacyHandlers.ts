/**
 * Handlers for legacy PC and firmware devices: code a modern guest does not need but a cell can
 * still reach (the NEMU argument). Matched against entry-point and function names, TypeScript and C.
 */
export interface LegacyRule {
  readonly tag: string;
  readonly pattern: RegExp;
  readonly reason: string;
}

export const legacyRules: readonly LegacyRule[] = [
  {
    tag: "i8042",
    pattern: /i8042/i,
    reason: "PS/2 keyboard controller: trapped only because its command port can pulse the reset line",
  },
  {
    tag: "ioapic",
    pattern: /ioapic/i,
    reason: "IOAPIC pin routing: pre-MSI interrupt delivery, needed only by guests with legacy INTx devices",
  },
  {
    tag: "pit/pic",
    pattern: /\bpit\b|i8254|i8259|(^|_)pic(_|$)/i,
    reason: "8254 PIT / 8259 PIC: ISA-era timer and interrupt controller",
  },
  {
    tag: "8250",
    pattern: /8250|uart/i,
    reason: "8250 UART: ISA serial port, a debug channel rather than a device a cell needs",
  },
  {
    tag: "pci-config-ports",
    pattern: /pci_config_(handler|read|write)|pci.*pio|0xcf8/i,
    reason: "PCI configuration through ports 0xCF8/0xCFC: superseded by MMCONFIG (ECAM)",
  },
  { tag: "pm-timer", pattern: /pm_?timer/i, reason: "ACPI PM timer: a legacy clock source superseded by the TSC" },
];

/** The legacy rule `name` falls under, if any. */
export function legacyOf(name: string): LegacyRule | undefined {
  return legacyRules.find((r) => r.pattern.test(name));
}
