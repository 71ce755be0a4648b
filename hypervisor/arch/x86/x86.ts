/**
 * x86 (Intel VT-x / AMD SVM with VT-d): 4-level EPT with 2 MiB and 1 GiB pages, an I/O bitmap per
 * cell, IOAPIC pins, x2APIC IPIs only to the cell's own CPUs, MMCONFIG interception. After a
 * reset every CPU of the cell starts at the reset address.
 */
import type { IrqChip } from "../../config/types.js";
import {
  type ArchOps,
  allocFrames,
  type CellState,
  type Core,
  countStat,
  cpuState,
  type GuestOutcome,
  genericStatNames,
  HypervisorError,
} from "../../core/index.js";
import { firstChip, maskPins, pinConflict, returnPins, takePins } from "../irqPins.js";
import { grantPorts, I8042_COMMAND_PORT, permitted, portConflict, refundPorts } from "./pio.js";
import { vmxCellDestroy, vmxInstruction, vmxMemoryShrunk, vmxWriteFault } from "./vmx.js";

/** One page of per-cell IOAPIC state divided by the state's size (48 bytes): upstream's IOAPIC_MAX_CHIPS. */
export const IOAPIC_MAX_CHIPS = 85;
/** VMX I/O bitmap: two pages per cell. */
const IO_BITMAP_FRAMES = 2;
const stat = { PIO: 4, XAPIC: 5, X2APIC_ICR: 11 } as const;
const IOAPIC_WINDOW = 0x1000n;
const XAPIC_BASE = 0xfee00000n;

function x86Platform(core: Core) {
  const p = core.s.system.platform.arch;
  if (p.kind !== "x86") throw new Error("an x86 hypervisor needs an x86 system configuration");
  return p;
}

const irqchipUnit = {
  name: "ioapic",
  cellInit(core: Core, cell: CellState): void {
    const chips: readonly IrqChip[] = cell.config.irqchips;
    if (chips.length > IOAPIC_MAX_CHIPS) throw new HypervisorError("ERANGE");
    if (chips.some((c) => c.pin_base !== 0)) throw new HypervisorError("EINVAL");
    if (chips.length > 0) cell.extraFrames.push(...allocFrames(core.s, 1));
    takePins(core, cell, chips);
  },
  cellExit: returnPins,
};

/** PCI MMCONFIG window: config space of devices the cell does not own reads as all ones; writes are dropped. */
export function mmconfigAccess(core: Core, cell: CellState, addr: bigint, write: boolean): GuestOutcome | undefined {
  const platform = core.s.system.platform;
  const window = BigInt(platform.pci_mmconfig_end_bus + 1) << 20n;
  if (platform.pci_mmconfig_base === 0n || addr < platform.pci_mmconfig_base) return undefined;
  if (addr >= platform.pci_mmconfig_base + window) return undefined;
  const bdf = Number((addr - platform.pci_mmconfig_base) >> 12n);
  const owned = [...cell.pci].some((k) => k.split(":")[1] === String(bdf));
  return owned ? { kind: "ok", value: 0n } : { kind: "ok", value: write ? 0n : 0xffffffffn };
}

/** The IOAPIC register window of one of the cell's irqchips. */
export function ioapicAccess(_core: Core, cell: CellState, addr: bigint): GuestOutcome | undefined {
  const hit = cell.config.irqchips.some((c) => addr >= c.address && addr < c.address + IOAPIC_WINDOW);
  return hit ? { kind: "ok" } : undefined;
}

/** The xAPIC page (trapped in every cell). */
export function xapicAccess(addr: bigint): GuestOutcome | undefined {
  return addr >= XAPIC_BASE && addr < XAPIC_BASE + 0x1000n ? { kind: "ok" } : undefined;
}

/** ACPI PM timer reads are always permitted. */
export function pmTimerRead(): GuestOutcome {
  return { kind: "ok", value: 0n };
}

/** The i8042 command port is always intercepted: a write (the reset pulse) is fatal for a cell. */
export function i8042Access(write: boolean): GuestOutcome {
  return write ? { kind: "fatal", reason: "write to the i8042 command port" } : { kind: "ok", value: 0n };
}

export const x86: ArchOps = {
  name: "x86",
  paging: { levels: 4, hugeLevels: [1, 2] },
  statNames: [
    ...genericStatNames,
    "vmexits_pio",
    "vmexits_xapic",
    "vmexits_cr",
    "vmexits_cpuid",
    "vmexits_xsetbv",
    "vmexits_exception",
    "vmexits_msr_other",
    "vmexits_msr_x2apic_icr",
  ],
  cellCreate(core, cell) {
    // The bitmap frames are freed with the cell's other extra frames.
    cell.extraFrames.push(...allocFrames(core.s, IO_BITMAP_FRAMES));
    grantPorts(core, cell);
  },
  cellDestroy(core, cell) {
    refundPorts(core, cell);
    vmxCellDestroy(core, cell);
  },
  units: [irqchipUnit],
  cellReset: maskPins,
  resetCpus(core, cell) {
    for (const c of cell.cpus) Object.assign(cpuState(core, c), { mode: "running", suspended: false });
  },
  commPlatform(core, cell) {
    const p = x86Platform(core);
    const b = new Uint8Array(12);
    const v = new DataView(b.buffer);
    v.setUint16(0, p.pm_timer_address, true);
    v.setUint16(2, cell.cpus.size, true);
    v.setUint32(4, p.tsc_khz, true);
    v.setUint32(8, p.apic_khz, true);
    return b;
  },
  conflicts: (core, cell) => pinConflict(core, cell, cell.config.irqchips) ?? portConflict(core, cell),
  emulatedMmio: (core, cell, addr, write) =>
    mmconfigAccess(core, cell, addr, write) ?? ioapicAccess(core, cell, addr) ?? xapicAccess(addr),
  pio(core, cell, cpu, port, width, write) {
    countStat(core, cpu, stat.PIO);
    const pm = x86Platform(core).pm_timer_address;
    const ports = Array.from({ length: width }, (_, i) => port + i);
    if (pm !== 0 && ports.every((p) => p >= pm && p < pm + 4) && !write) return pmTimerRead();
    if (ports.includes(I8042_COMMAND_PORT)) return i8042Access(write);
    if (ports.every((p) => permitted(cell.pio, p))) return { kind: "ok", value: 0n };
    return { kind: "fatal", reason: `I/O port 0x${port.toString(16)} is not permitted` };
  },
  ipi(core, cell, cpu, target) {
    countStat(core, cpu, stat.X2APIC_ICR);
    if (!cell.cpus.has(target)) return { kind: "ignored", reason: `CPU ${target} is outside the cell` };
    return { kind: "ok" };
  },
  routeIrq(core, cell, cpu, pin, target) {
    countStat(core, cpu, 1);
    const chip = firstChip(cell);
    if (chip === undefined || !cell.pins.get(chip)?.has(pin))
      return { kind: "ignored", reason: `pin ${pin} is not the cell's` };
    if (!cell.cpus.has(target))
      return { kind: "fatal", reason: `IOAPIC redirection to CPU ${target} outside the cell` };
    core.s.irqRoutes.set(`${chip}:${pin}`, target);
    return { kind: "ok" };
  },
  cpuOn() {
    throw new Error("x86 has no PSCI: CPUs start with INIT/SIPI, which only the hypervisor sends");
  },
  systemReset(_core, _cell, _cpu) {
    // The reset pulse through the i8042 controller is always intercepted.
    return { kind: "fatal", reason: "system reset through the i8042 command port" };
  },
  vmx: vmxInstruction,
  writeFault: vmxWriteFault,
  memoryShrunk: vmxMemoryShrunk,
};
