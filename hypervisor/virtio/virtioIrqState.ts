/**
 * The state of the virtio-mmio interrupt unit: per device its owner, vectors (address/data, mask,
 * pending), the shared vector-select register and the legacy line, plus the counters
 * `warden explore irq` reads and a log of deliveries (an observation for conformance, like
 * `CpuState.interrupts`, not hypervisor state).
 */
import { encodeDestination, type MsiArch } from "./msiDestination.js";
import type { IrqDesign } from "./msiRegisters.js";

export interface MsiVectorState {
  addr: bigint;
  data: number;
  masked: boolean;
  pending: boolean;
}

export interface VirtioIrqDevice {
  readonly name: string;
  /** The owning cell's name. */
  readonly cell: string;
  /** The owning cell's CPUs: the only valid destinations. */
  readonly cpus: readonly number[];
  readonly vectors: MsiVectorState[];
  sel: number;
  /** Legacy InterruptStatus bits. */
  isr: number;
  /** Legacy: the line was injected and the guest has not acknowledged it yet. */
  lineInService: boolean;
  /** Legacy: the CPU the line is routed to (the interrupt controller's validated routing). */
  readonly lineCpu: number;
}

export interface IrqCounters {
  /** Guest accesses that trapped into the hypervisor. */
  traps: number;
  /** Every guest access to a device register, trapped or not. */
  guestAccesses: number;
  deliveries: number;
  /** Writes and deliveries the hypervisor refused because a destination left the cell. */
  refused: number;
}

export interface Delivery {
  readonly device: string;
  /** The vector, or -1 for the legacy line. */
  readonly vector: number;
  /** The CPU interrupted, or -1 when the address decodes to no CPU. */
  readonly cpu: number;
}

export interface VirtioIrqState {
  readonly design: IrqDesign;
  readonly arch: MsiArch;
  readonly gicrBase: bigint;
  readonly devices: VirtioIrqDevice[];
  readonly counters: IrqCounters;
  readonly log: Delivery[];
}

export interface DeviceAssignment {
  readonly name: string;
  readonly cell: string;
  readonly cpus: readonly number[];
  readonly vectors: number;
}

/** A unit with every vector masked and aimed at the first CPU of its cell (a valid entry). */
export function createVirtioIrq(
  design: IrqDesign,
  arch: MsiArch,
  devices: readonly DeviceAssignment[],
  gicrBase = 0n,
): VirtioIrqState {
  return {
    design,
    arch,
    gicrBase,
    devices: devices.map((d) => {
      const home = d.cpus[0];
      if (home === undefined) throw new Error(`device ${d.name}: cell ${d.cell} has no CPU`);
      return {
        name: d.name,
        cell: d.cell,
        cpus: [...d.cpus],
        vectors: Array.from({ length: d.vectors }, (_, i) => ({
          ...encodeDestination(arch, home, i, gicrBase),
          masked: true,
          pending: false,
        })),
        sel: 0,
        isr: 0,
        lineInService: false,
        lineCpu: home,
      };
    }),
    counters: { traps: 0, guestAccesses: 0, deliveries: 0, refused: 0 },
    log: [],
  };
}
