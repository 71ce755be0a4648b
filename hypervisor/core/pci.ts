/**
 * The PCI unit (hypervisor/pci.c, ivshmem.c): physical devices move from root to the new cell if
 * root currently holds the same BDF (domain ignored, as upstream's lookup does) and their IOMMU
 * context follows; ivshmem endpoints take a slot on the link of their BDF.
 */
import { pciTypes } from "../config/flags.js";
import type { PciDevice } from "../config/types.js";
import { HypervisorError } from "./abi.js";
import { type Core, isRoot, rootCell } from "./context.js";
import { Journal } from "./journal.js";
import { allocFrame, allocFrames, freeFrames } from "./pagePool.js";
import type { CellState } from "./state.js";

export const IVSHMEM_MAX_PEERS = 12;
export const IVSHMEM_MSIX_VECTORS = 16;
/** Device structures per pool frame (Warden's sizing of `struct pci_device`). */
const DEVICES_PER_FRAME = 16;

export const pciKey = (d: Pick<PciDevice, "domain" | "bdf">): string => `${d.domain}:${d.bdf}`;
const isIvshmem = (d: PciDevice) => d.type === pciTypes.IVSHMEM;

/** `pci_cell_init`: all-or-nothing; the first failing device's error is returned, earlier ones undone. */
export function pciCellInit(core: Core, cell: CellState): void {
  const devices = cell.config.pci_devices;
  if (devices.length === 0) return;
  Journal.atomic((journal) => {
    const array = allocFrames(core.s, Math.ceil(devices.length / DEVICES_PER_FRAME));
    journal.record(() => freeFrames(core.s, array));
    for (const d of devices) {
      if (isIvshmem(d)) addEndpoint(core, cell, d, journal);
      else addDevice(core, cell, d, journal);
    }
    cell.extraFrames.push(...array);
  });
}

function addDevice(core: Core, cell: CellState, d: PciDevice, journal: Journal): void {
  const key = pciKey(d);
  const root = rootCell(core);
  const rootEndpoints = new Set(root.config.pci_devices.filter(isIvshmem).map(pciKey));
  const rootKey = isRoot(core, cell)
    ? undefined
    : [...root.pci].find((k) => k.split(":")[1] === String(d.bdf) && !rootEndpoints.has(k));
  if (rootKey !== undefined) {
    root.pci.delete(rootKey);
    journal.record(() => root.pci.add(rootKey));
  }
  const had = cell.pci.has(key);
  cell.pci.add(key);
  const context = core.s.iommuContext.get(key);
  core.s.iommuContext.set(key, cell.id);
  journal.record(() => {
    if (!had) cell.pci.delete(key);
    if (context === undefined) core.s.iommuContext.delete(key);
    else core.s.iommuContext.set(key, context);
  });
}

function addEndpoint(core: Core, cell: CellState, d: PciDevice, journal: Journal): void {
  if (
    d.shmem_regions_start + 2 + d.shmem_peers > cell.config.memory_regions.length ||
    d.num_msix_vectors > IVSHMEM_MSIX_VECTORS
  ) {
    throw new HypervisorError("EINVAL");
  }
  let link = core.s.ivshmem.find((l) => l.bdf === d.bdf);
  if (d.shmem_dev_id >= IVSHMEM_MAX_PEERS) throw new HypervisorError("EINVAL");
  if (link && link.slots[d.shmem_dev_id] !== null) throw new HypervisorError("EBUSY");
  if (!link) {
    const created = {
      bdf: d.bdf,
      frame: allocFrame(core.s),
      slots: Array<number | null>(IVSHMEM_MAX_PEERS).fill(null),
    };
    core.s.ivshmem.push(created);
    journal.record(() => {
      core.s.ivshmem.splice(core.s.ivshmem.indexOf(created), 1);
      freeFrames(core.s, [created.frame]);
    });
    link = created;
  }
  const slots = link.slots;
  slots[d.shmem_dev_id] = cell.id;
  cell.pci.add(pciKey(d));
  journal.record(() => {
    slots[d.shmem_dev_id] = null;
    cell.pci.delete(pciKey(d));
  });
}

/** `pci_cell_exit`: endpoints detach (the link goes with its last peer); devices return to root if root's config lists them. */
export function pciCellExit(core: Core, cell: CellState): void {
  const root = rootCell(core);
  for (const d of cell.config.pci_devices) {
    const key = pciKey(d);
    cell.pci.delete(key);
    if (isIvshmem(d)) {
      const link = core.s.ivshmem.find((l) => l.bdf === d.bdf);
      if (!link || link.slots[d.shmem_dev_id] !== cell.id) continue;
      link.slots[d.shmem_dev_id] = null;
      if (link.slots.every((s) => s === null)) {
        core.s.ivshmem.splice(core.s.ivshmem.indexOf(link), 1);
        freeFrames(core.s, [link.frame]);
      }
    } else if (root.config.pci_devices.some((r) => !isIvshmem(r) && pciKey(r) === key)) {
      root.pci.add(key);
      core.s.iommuContext.set(key, root.id);
    } else if (core.s.iommuContext.get(key) === cell.id) {
      core.s.iommuContext.delete(key);
    }
  }
}
