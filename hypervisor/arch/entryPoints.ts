/**
 * Each architecture's trap entry points with the configuration under which a cell reaches them,
 * after the core's (`core/entryPoints.ts`): what `warden audit surface` walks.
 */
import type { Arch } from "../config/types.js";
import { coreEntryPoints, type EntryPoint } from "../core/entryPoints.js";
import { guestCpuOn, guestPio } from "../core/guest.js";
import { arm64, gicdAccess, gicrAccess } from "./arm64/arm64.js";
import { vmxInstruction, vmxWriteFault } from "./x86/vmx.js";
import { i8042Access, ioapicAccess, mmconfigAccess, pmTimerRead, x86, xapicAccess } from "./x86/x86.js";

const always = () => true;
const x86File = "arch/x86/x86.ts";
const armFile = "arch/arm64/arm64.ts";

const x86Entries: readonly EntryPoint[] = [
  { kind: "pio", name: "port I/O exit", handler: guestPio, file: "core/guest.ts", reaches: always },
  { kind: "pio", name: "i8042 command port (0x64)", handler: i8042Access, file: x86File, reaches: always },
  {
    kind: "pio",
    name: "ACPI PM timer",
    handler: pmTimerRead,
    file: x86File,
    reaches: ({ system }) => system.platform.arch.kind === "x86" && system.platform.arch.pm_timer_address !== 0,
  },
  {
    kind: "mmio",
    name: "PCI MMCONFIG",
    handler: mmconfigAccess,
    file: x86File,
    reaches: ({ system }) => system.platform.pci_mmconfig_base > 0n,
  },
  {
    kind: "mmio",
    name: "IOAPIC",
    handler: ioapicAccess,
    file: x86File,
    reaches: ({ cell }) => cell.irqchips.length > 0,
  },
  {
    kind: "exit",
    name: "IOAPIC redirection",
    handler: x86.routeIrq,
    file: x86File,
    reaches: ({ cell }) => cell.irqchips.length > 0,
  },
  { kind: "mmio", name: "xAPIC page", handler: xapicAccess, file: x86File, reaches: always },
  // Warden's nested-VMX design (not upstream): only a cell configured with warden_nested_vmx.
  {
    kind: "exit",
    name: "VMX instruction (nested VMX)",
    handler: vmxInstruction,
    file: "arch/x86/vmx.ts",
    reaches: ({ cell }) => cell.warden_nested_vmx === true,
  },
  {
    kind: "exit",
    name: "EPT write tracking (nested VMX)",
    handler: vmxWriteFault,
    file: "arch/x86/vmx.ts",
    reaches: ({ cell }) => cell.warden_nested_vmx === true,
  },
];

const arm64Entries: readonly EntryPoint[] = [
  { kind: "mmio", name: "GIC distributor", handler: gicdAccess, file: armFile, reaches: always },
  {
    kind: "mmio",
    name: "GIC redistributors",
    handler: gicrAccess,
    file: armFile,
    reaches: ({ system }) => system.platform.arch.kind === "arm" && system.platform.arch.gicr_base > 0n,
  },
  {
    kind: "exit",
    name: "SPI routing",
    handler: arm64.routeIrq,
    file: armFile,
    reaches: ({ cell }) => cell.irqchips.length > 0,
  },
  { kind: "exit", name: "PSCI CPU_ON", handler: guestCpuOn, file: "core/guest.ts", reaches: always },
];

/** Every entry point of `arch`: the core's, then the architecture's. */
export function entryPointsFor(arch: Arch): readonly EntryPoint[] {
  return [...coreEntryPoints, ...(arch === "x86" ? x86Entries : arm64Entries)];
}
