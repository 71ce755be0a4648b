/**
 * The event sequences `warden explore irq` runs on the core's virtio interrupt unit: what the
 * device raises and what the guest means to do, translated per design into register accesses
 * (an MSI guest programs and masks vectors; a legacy guest has one line and reads
 * InterruptStatus after each interrupt).
 */
import {
  createVirtioIrq,
  encodeDestination,
  type IrqDesign,
  irqDeviceEvent,
  irqGuestRead,
  irqGuestWrite,
  irqSettle,
  type MsiArch,
  msiRegs,
  type VirtioIrqState,
} from "../../hypervisor/index.js";

export type IrqStep =
  | { readonly kind: "event"; readonly vector: number }
  /** Aim a vector at a CPU (address/data writes); `unmask` also unmasks it. */
  | {
      readonly kind: "program";
      readonly cpu: number;
      readonly vector: number;
      readonly target: number;
      readonly unmask: boolean;
    }
  | { readonly kind: "mask" | "unmask"; readonly cpu: number; readonly vector: number };

export interface IrqScenario {
  readonly name: string;
  readonly summary: string;
  readonly steps: readonly IrqStep[];
}

/** Where a scenario runs: one device of one cell, and a root CPU to aim a hostile entry at. */
export interface IrqSystem {
  readonly device: string;
  readonly cell: string;
  readonly cpus: readonly number[];
  readonly rootCpu: number;
  readonly vectors: number;
  readonly arch: MsiArch;
  readonly gicrBase: bigint;
}

/**
 * The built-in system the scenarios are written for: device vda of cell a (CPUs 1 and 2), the root
 * cell on CPU 0. On another system (`--config`) their CPUs map by role (the cell's first and second
 * CPU, the root's) and vectors modulo the device's count.
 */
export const irqSystem: IrqSystem = {
  device: "vda",
  cell: "a",
  cpus: [1, 2],
  rootCpu: 0,
  vectors: 3,
  arch: "x86",
  gicrBase: 0n,
};

const setup: IrqStep[] = [0, 1, 2].map((vector) => ({
  kind: "program",
  cpu: 1,
  vector,
  target: vector === 2 ? 2 : 1,
  unmask: true,
}));
const events = (...vectors: number[]): IrqStep[] => vectors.map((vector) => ({ kind: "event", vector }));

export const irqScenarios: readonly IrqScenario[] = [
  {
    name: "steady",
    summary: "queue notifications spread over both CPUs, two configuration changes",
    steps: [...setup, ...events(1, 2, 1, 2, 0, 1, 2, 1, 2, 0, 1, 2)],
  },
  {
    name: "masked-burst",
    summary: "the driver masks queue 1, four notifications arrive (they coalesce), it unmasks",
    steps: [
      ...setup,
      { kind: "mask", cpu: 2, vector: 1 },
      ...events(1, 1, 2, 1, 1),
      { kind: "unmask", cpu: 2, vector: 1 },
      ...events(1, 0),
    ],
  },
  {
    name: "hostile-retarget",
    summary: "the guest rewrites unmasked queue 1's entry to the root cell's CPU 0, then the device notifies",
    steps: [...setup, ...events(1), { kind: "program", cpu: 1, vector: 1, target: 0, unmask: false }, ...events(1, 2)],
  },
];

export interface IrqRun {
  readonly scenario: string;
  readonly design: IrqDesign;
  readonly events: number;
  readonly deliveries: number;
  readonly traps: number;
  readonly guestAccesses: number;
  /** Deliveries to a CPU outside cell a. */
  readonly escaped: number;
  /** Writes and deliveries the hypervisor refused. */
  readonly refused: number;
  /** Vectors (legacy: causes) still pending and unmasked at the end: interrupts the design lost. */
  readonly lost: number;
}

/** Runs one scenario on a fresh unit of `design`; the counters are the core's own. */
export function runIrqScenario(scenario: IrqScenario, design: IrqDesign, system: IrqSystem = irqSystem): IrqRun {
  const { device, cell, cpus, vectors } = system;
  const s = createVirtioIrq(design, system.arch, [{ name: device, cell, cpus, vectors }], system.gicrBase);
  const cpuOf = (n: number) =>
    n === irqSystem.rootCpu ? system.rootCpu : (cpus[irqSystem.cpus.indexOf(n) % cpus.length] ?? system.rootCpu);
  let eventCount = 0;
  for (const step of scenario.steps) {
    if (step.kind === "event") {
      eventCount++;
      irqDeviceEvent(s, device, step.vector % vectors);
    } else if (design !== "legacy") {
      const vector = step.vector % vectors;
      msiGuest(
        s,
        system,
        step.kind === "program"
          ? { ...step, vector, cpu: cpuOf(step.cpu), target: cpuOf(step.target) }
          : { ...step, vector, cpu: cpuOf(step.cpu) },
      );
    }
    settle(s, system);
  }
  const d = s.devices[0];
  const lost =
    design === "legacy"
      ? d && d.isr !== 0 && !d.lineInService
        ? 1
        : 0
      : (d?.vectors.filter((v) => v.pending && !v.masked).length ?? 0);
  return {
    scenario: scenario.name,
    design,
    events: eventCount,
    deliveries: s.counters.deliveries,
    traps: s.counters.traps,
    guestAccesses: s.counters.guestAccesses,
    escaped: s.log.filter((x) => !cpus.includes(x.cpu)).length,
    refused: s.counters.refused,
    lost,
  };
}

function msiGuest(s: VirtioIrqState, system: IrqSystem, step: Exclude<IrqStep, { kind: "event" }>): void {
  const write = (offset: number, value: number) => irqGuestWrite(s, step.cpu, system.device, offset, value);
  write(msiRegs.VEC_SEL, step.vector);
  if (step.kind === "program") {
    const { addr, data } = encodeDestination(s.arch, step.target, step.vector, s.gicrBase);
    write(msiRegs.ADDR_LO, Number(addr & 0xffff_ffffn));
    write(msiRegs.ADDR_HI, Number(addr >> 32n));
    write(msiRegs.DATA, data);
    if (step.unmask) write(msiRegs.MASK, 0);
  } else {
    write(msiRegs.MASK, step.kind === "mask" ? 1 : 0);
  }
}

/** Delivers what can be delivered; a legacy guest answers each interrupt by reading and acknowledging the causes. */
function settle(s: VirtioIrqState, system: IrqSystem): void {
  while (irqSettle(s) > 0) {
    if (s.design !== "legacy") continue;
    const cpu = system.cpus[0] ?? system.rootCpu;
    const isr = irqGuestRead(s, cpu, system.device, msiRegs.INTERRUPT_STATUS);
    irqGuestWrite(s, cpu, system.device, msiRegs.INTERRUPT_ACK, isr);
  }
}
