/**
 * Sizes and offsets of the binary configuration format, revision 14 (semantics.md §4.2; upstream
 * include/jailhouse/cell-config.h). Revisions 12 and 13 differ only where noted.
 */
import type { ArrayName } from "../types.js";

export const CELL_DESC_SIZE = 132;
/** System header up to the embedded root descriptor: 356 in revisions 13/14, 354 in 12. */
export const SYSTEM_HEADER_SIZE = 356;
export const SYSTEM_HEADER_SIZE_REV12 = 354;

export const REVISION = 14;
export const SUPPORTED_REVISIONS = [12, 13, 14] as const;

export const SIGNATURE_CELL = "JHCLL";
export const SIGNATURE_SYSTEM = "JHSYS";
/** Revisions 1–13 used six-byte signatures and no architecture byte. */
export const SIGNATURE_CELL_OLD = "JHCELL";
export const SIGNATURE_SYSTEM_OLD = "JHSYST";

export const MEMORY_SIZE = 32;
export const CONSOLE_SIZE = 32;
export const IOMMU_SIZE = 28;
export const MAX_IOMMU_UNITS = 8;

/** The arrays that follow a cell descriptor, in file order, with element size and count field offset. */
export const cellArrays: readonly { readonly name: ArrayName; readonly size: number; readonly countAt: number }[] = [
  { name: "memory_regions", size: 32, countAt: 52 },
  { name: "cache_regions", size: 12, countAt: 56 },
  { name: "irqchips", size: 32, countAt: 60 },
  { name: "pio_regions", size: 4, countAt: 64 },
  { name: "pci_devices", size: 56, countAt: 68 },
  { name: "pci_caps", size: 8, countAt: 72 },
  { name: "stream_ids", size: 4, countAt: 76 },
];

/** Cell descriptor field offsets (relative to the descriptor). */
export const cellDesc = {
  signature: 0,
  architecture: 5,
  revision: 6,
  name: 8,
  nameSize: 32,
  id: 40,
  flags: 44,
  cpuSetSize: 48,
  vpciIrqBase: 80,
  cpuResetAddress: 84,
  msgReplyTimeout: 92,
  console: 100,
} as const;
