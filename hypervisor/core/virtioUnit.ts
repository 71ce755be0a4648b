/**
 * The virtio-mmio interrupt unit in the cell unit list (after PCI/ivshmem, before the
 * architecture's): a cell's `warden_virtio` devices (a Warden extension; in binary form a trailer
 * CELL_CREATE reads after the configuration) are registered
 * with the cell's configured CPUs as their only valid destinations, and dropped when the cell
 * goes. Delivery goes to the guest interface the core already has: the target CPU's interrupt
 * count. The design (where destinations are validated) is the system's; default `trapped`.
 */

import {
  readVirtioTrailer,
  VIRTIO_TRAILER_HEADER_SIZE,
  virtioTrailerCount,
  virtioTrailerSize,
} from "../config/binary/virtioTrailer.js";
import type { VirtioDeviceConfig } from "../config/types.js";
import type { IrqDesign } from "../virtio/msiRegisters.js";
import { type DeliveryOutcome, irqDeliver, irqDeviceEvent, irqGuestRead, irqGuestWrite } from "../virtio/virtioIrq.js";
import { createVirtioIrq, type VirtioIrqState } from "../virtio/virtioIrqState.js";
import { HypervisorError } from "./abi.js";
import type { ArchUnit } from "./archOps.js";
import type { Core } from "./context.js";
import { readGuest } from "./guestMemory.js";
import type { CellState } from "./state.js";

/** The unit's state, created on first use with the architecture's destination format. */
export function virtioOf(core: Core, design: IrqDesign = "trapped"): VirtioIrqState {
  if (!core.s.virtio) {
    const p = core.s.system.platform.arch;
    const arch = core.arch.name === "arm64" ? "arm64" : "x86";
    core.s.virtio = createVirtioIrq(design, arch, [], p.kind === "arm" ? p.gicr_base : 0n);
  }
  return core.s.virtio;
}

/**
 * The devices of Warden's trailer right after a cell configuration in root memory (virtioTrailer.ts),
 * read by CELL_CREATE like the configuration itself; undefined when none follows. A trailer that
 * cannot be read whole or holds a value outside its encoding makes the create fail with -EINVAL.
 */
export function readVirtioExtension(core: Core, root: CellState, at: bigint): VirtioDeviceConfig[] | undefined {
  const header = readGuest(core, root, at, VIRTIO_TRAILER_HEADER_SIZE);
  const count = header && virtioTrailerCount(header);
  if (count === undefined) return undefined;
  const bytes = readGuest(core, root, at, virtioTrailerSize(count));
  if (!bytes) throw new HypervisorError("EINVAL");
  try {
    return readVirtioTrailer(bytes, 0);
  } catch {
    throw new HypervisorError("EINVAL");
  }
}

/**
 * Unit init at CELL_CREATE: the cell's devices are registered with its CPUs as their only valid
 * destinations. A device name or virtio-mmio window another cell already holds is refused
 * (-EBUSY), as is a device in a cell without CPUs (-EINVAL: its vectors could aim nowhere).
 */
function virtioCellInit(core: Core, cell: CellState): void {
  const wanted = cell.config.warden_virtio ?? [];
  if (wanted.length === 0) return;
  const unit = virtioOf(core);
  const held = (d: VirtioDeviceConfig) =>
    unit.devices.some((x) => x.name === d.name) ||
    core.s.cells.some((c) => c.config.warden_virtio?.some((x) => x.name === d.name || x.base === d.base));
  if (wanted.some(held)) throw new HypervisorError("EBUSY");
  if (new Set(wanted.map((d) => d.name)).size !== wanted.length) throw new HypervisorError("EINVAL");
  if (cell.config.cpus.length === 0) throw new HypervisorError("EINVAL");
  const added = createVirtioIrq(
    unit.design,
    unit.arch,
    wanted.map((d) => ({ name: d.name, cell: cell.name, cpus: cell.config.cpus, vectors: d.vectors })),
    unit.gicrBase,
  );
  unit.devices.push(...added.devices);
}

/** Unit exit at destroy: the cell's devices are released. */
function virtioCellExit(core: Core, cell: CellState): void {
  const unit = core.s.virtio;
  if (!unit) return;
  for (let i = unit.devices.length - 1; i >= 0; i--) if (unit.devices[i]?.cell === cell.name) unit.devices.splice(i, 1);
}

export const virtioUnit: ArchUnit = { name: "virtio-msi", cellInit: virtioCellInit, cellExit: virtioCellExit };

/**
 * The device raises a vector; what is pending and unmasked is delivered at once, unless `settle`
 * is false (conformance delivers step by step, as VirtioMsi's Deliver does).
 */
export function virtioEvent(core: Core, device: string, vector: number, settle = true): void {
  irqDeviceEvent(virtioOf(core), device, vector);
  if (settle) virtioSettle(core);
}

/** A guest CPU writes a register of a virtio device of its cell; deliveries it enables follow (unless `settle` is false). */
export function virtioWrite(
  core: Core,
  cpu: number,
  device: string,
  offset: number,
  value: number,
  settle = true,
): void {
  irqGuestWrite(virtioOf(core), cpu, device, offset, value);
  if (settle) virtioSettle(core);
}

export function virtioRead(core: Core, cpu: number, device: string, offset: number): number {
  return irqGuestRead(virtioOf(core), cpu, device, offset);
}

/** Delivers one vector (-1: the legacy line) if it is deliverable; a delivery raises the target CPU's interrupt count. */
export function virtioDeliver(core: Core, device: string, vector: number): DeliveryOutcome {
  const unit = virtioOf(core);
  const before = unit.log.length;
  const outcome = irqDeliver(unit, device, vector);
  const cpu = unit.log[before]?.cpu;
  const target = cpu === undefined ? undefined : core.s.cpus.get(cpu);
  if (target) target.interrupts++;
  return outcome;
}

/** Delivers everything deliverable, device by device, vector by vector. */
export function virtioSettle(core: Core): DeliveryOutcome[] {
  const unit = virtioOf(core);
  const out: DeliveryOutcome[] = [];
  for (const d of unit.devices) {
    const targets = unit.design === "legacy" ? [-1] : d.vectors.map((_, i) => i);
    for (const i of targets) out.push(virtioDeliver(core, d.name, i));
  }
  return out;
}
