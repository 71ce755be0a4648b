/**
 * arm64 (GICv2/v3, PSCI, MMU-500): 4-level stage-2 tables with 2 MiB and 1 GiB blocks, SPIs of
 * the distributor handed over in 32-aligned banks, SGIs only to the cell's CPUs, PSCI CPU_ON
 * within the cell. After a reset only the first CPU runs; the others wait for CPU_ON.
 */
import {
  type ArchOps,
  type CellState,
  type Core,
  countStat,
  cpuState,
  type GuestOutcome,
  genericStatNames,
  HypervisorError,
} from "../../core/index.js";
import { firstChip, maskPins, pinConflict, returnPins, takePins } from "../irqPins.js";
import { smmuUnit, streamConflict } from "./smmu.js";

const stat = { VIRQ: 5, SGI: 6, PSCI: 7 } as const;
/** PSCI return codes. */
const psci = { NOT_SUPPORTED: -1n, DENIED: -3n, ALREADY_ON: -4n } as const;
const GIC_IDS = 1024;
const GICD_WINDOW = 0x10000n;

function armPlatform(core: Core) {
  const p = core.s.system.platform.arch;
  if (p.kind !== "arm") throw new Error("an arm64 hypervisor needs an ARM system configuration");
  return p;
}

/** Chips not at the distributor's address are ignored, as upstream does. */
const gicChips = (core: Core, cell: CellState) =>
  cell.config.irqchips.filter((c) => c.address === armPlatform(core).gicd_base);

const gicUnit = {
  name: "gic",
  cellInit(core: Core, cell: CellState): void {
    const chips = gicChips(core, cell);
    if (chips.some((c) => c.pin_base % 32 !== 0 || c.pin_base + 128 > GIC_IDS)) throw new HypervisorError("EINVAL");
    takePins(core, cell, chips);
  },
  cellExit: returnPins,
};

/** The GIC distributor window (trapped in every cell). */
export function gicdAccess(core: Core, addr: bigint): GuestOutcome | undefined {
  const p = armPlatform(core);
  return addr >= p.gicd_base && addr < p.gicd_base + GICD_WINDOW ? { kind: "ok", value: 0n } : undefined;
}

/** The GICv3 redistributors, when the platform has them. */
export function gicrAccess(core: Core, addr: bigint): GuestOutcome | undefined {
  const p = armPlatform(core);
  if (p.gicr_base === 0n || addr < p.gicr_base || addr >= p.gicr_base + 0x20000n * 64n) return undefined;
  return { kind: "ok", value: 0n };
}

export const arm64: ArchOps = {
  name: "arm64",
  paging: { levels: 4, hugeLevels: [1, 2] },
  statNames: [
    ...genericStatNames,
    "vmexits_maintenance",
    "vmexits_virt_irq",
    "vmexits_virt_sgi",
    "vmexits_psci",
    "vmexits_smccc",
  ],
  cellCreate() {},
  cellDestroy() {},
  units: [gicUnit, smmuUnit],
  cellReset: maskPins,
  resetCpus(core, cell) {
    const first = Math.min(...cell.cpus);
    for (const c of cell.cpus)
      Object.assign(cpuState(core, c), { mode: c === first ? "running" : "off", suspended: false });
  },
  commPlatform(core, cell) {
    const p = armPlatform(core);
    const b = new Uint8Array(36);
    const v = new DataView(b.buffer);
    v.setUint8(0, p.gic_version);
    v.setBigUint64(8, p.gicd_base, true);
    v.setBigUint64(16, p.gicc_base, true);
    v.setBigUint64(24, p.gicr_base, true);
    v.setUint32(32, cell.config.vpci_irq_base, true);
    return b;
  },
  conflicts: (core, cell) => pinConflict(core, cell, gicChips(core, cell)) ?? streamConflict(core, cell),
  emulatedMmio: (core, _cell, addr) => gicdAccess(core, addr) ?? gicrAccess(core, addr),
  pio() {
    throw new Error("arm64 has no I/O ports");
  },
  ipi(core, cell, cpu, target) {
    countStat(core, cpu, stat.SGI);
    if (!cell.cpus.has(target)) return { kind: "ignored", reason: `SGI to CPU ${target} outside the cell is filtered` };
    return { kind: "ok" };
  },
  routeIrq(core, cell, cpu, pin, target) {
    countStat(core, cpu, 1);
    const chip = firstChip(cell);
    if (chip === undefined || !cell.pins.get(chip)?.has(pin))
      return { kind: "ignored", reason: `SPI ${pin} is not the cell's` };
    // Targets outside the cell are replaced by the cell's first CPU.
    const to = cell.cpus.has(target) ? target : Math.min(...cell.cpus);
    core.s.irqRoutes.set(`${chip}:${pin}`, to);
    return to === target ? { kind: "ok" } : { kind: "ignored", reason: `routed to CPU ${to} instead of ${target}` };
  },
  cpuOn(core, cell, cpu, target) {
    countStat(core, cpu, stat.PSCI);
    if (!cell.cpus.has(target)) return { kind: "ok", value: psci.DENIED };
    const t = cpuState(core, target);
    if (t.mode !== "off") return { kind: "ok", value: psci.ALREADY_ON };
    t.mode = "running";
    return { kind: "ok", value: 0n };
  },
  systemReset(core, _cell, cpu) {
    countStat(core, cpu, stat.PSCI);
    return { kind: "ignored", reason: "PSCI SYSTEM_RESET is not supported for cells" };
  },
  vmx(_core, _cell, _cpu, instruction) {
    return { kind: "ignored", reason: `not supported: ${instruction.op} is VMX, and nested VMX is x86 only` };
  },
};
