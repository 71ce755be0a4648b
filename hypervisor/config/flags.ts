/**
 * Flag and enumeration values of configuration revision 14 (semantics.md §4.3), with the names the
 * YAML form uses. Names are upstream's without the `JAILHOUSE_MEM_` / `JAILHOUSE_CELL_` prefixes.
 */

/** Memory region flags (`JAILHOUSE_MEM_*`). IO_8..IO_64 form the access-width field, bits 16..19. */
export const memFlags = {
  READ: 0x1n,
  WRITE: 0x2n,
  EXECUTE: 0x4n,
  DMA: 0x8n,
  IO: 0x10n,
  COMM_REGION: 0x20n,
  LOADABLE: 0x40n,
  ROOTSHARED: 0x80n,
  NO_HUGEPAGES: 0x100n,
  IO_UNALIGNED: 0x8000n,
  IO_8: 0x10000n,
  IO_16: 0x20000n,
  IO_32: 0x40000n,
  IO_64: 0x80000n,
} as const;
export type MemFlagName = keyof typeof memFlags;

/** Cell descriptor flags (`JAILHOUSE_CELL_*`). */
export const cellFlags = {
  PASSIVE_COMMREG: 0x1,
  TEST_DEVICE: 0x2,
  AARCH32: 0x4,
  VIRTUAL_CONSOLE_PERMITTED: 0x40000000,
  VIRTUAL_CONSOLE_ACTIVE: 0x80000000,
} as const;
export type CellFlagName = keyof typeof cellFlags;

/** System flags (`JAILHOUSE_SYS_*`). */
export const systemFlags = { VIRTUAL_DEBUG_CONSOLE: 0x1 } as const;
export type SystemFlagName = keyof typeof systemFlags;

/** Cache region types and flags (x86 CAT). */
export const cacheTypes = { L3_CODE: 0x1, L3_DATA: 0x2, L3: 0x3 } as const;
export const cacheFlags = { ROOTSHARED: 0x1 } as const;

/** PCI device types. */
export const pciTypes = { DEVICE: 1, BRIDGE: 2, IVSHMEM: 3 } as const;

/** IOMMU unit types; 0 marks an unused slot. */
export const iommuTypes = { UNUSED: 0, AMD: 1, INTEL: 2, SMMUV3: 3, PVU: 4, ARM_MMU500: 5 } as const;

/** Console types. */
export const consoleTypes = {
  NONE: 0,
  EFIFB: 1,
  "8250": 2,
  PL011: 3,
  XUARTPS: 4,
  MVEBU: 5,
  HSCIF: 6,
  SCIFA: 7,
  IMX: 8,
  IMX_LPUART: 9,
  SCIF: 0xa,
} as const;

/** Console flags: bit 0 MMIO (else PIO), bit 1 4-byte register distance, bit 2 1920×1080 framebuffer, bits 12/13 quirks. */
export const consoleFlags = {
  MMIO: 0x1,
  REGDIST_4: 0x2,
  FB_1920x1080: 0x4,
  INVERTED_CLOCK: 0x1000,
  MDR_QUIRK: 0x2000,
} as const;

/** x86 APIC modes. */
export const apicModes = { AUTO: 0, XAPIC: 1, X2APIC: 2 } as const;

/** All memory flag bits Warden knows; other bits draw an "unknown flag bits" warning. */
export const knownMemFlagBits: bigint = Object.values(memFlags).reduce((a, b) => a | b, 0n);
export const knownCellFlagBits: number = Object.values(cellFlags).reduce((a, b) => (a | b) >>> 0, 0);
