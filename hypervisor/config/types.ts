/**
 * Typed model of Jailhouse system and cell configurations, configuration revision 14
 * (upstream `include/jailhouse/cell-config.h`; Warden's reference: semantics.md §4).
 *
 * Field names are upstream's, so the header and this file can be read side by side, and they are
 * the keys of the YAML form. 64-bit fields are `bigint`; narrower ones `number`. Flags stay numeric
 * here; `flags.ts` names them. Bytes that upstream leaves unused (padding, unused union arms) are
 * kept as `reserved*` fields so that reading and writing back any file gives identical bytes.
 */

export type Arch = "x86" | "arm" | "arm64";

/** Architecture byte values (offset 5 of a revision-14 signature block). */
export const archCode: Readonly<Record<Arch, number>> = { x86: 0, arm: 1, arm64: 2 };

/** `struct jailhouse_memory`, 32 bytes. */
export interface MemoryRegion {
  readonly phys_start: bigint;
  readonly virt_start: bigint;
  readonly size: bigint;
  /** JAILHOUSE_MEM_* bits (u64 in the file). */
  readonly flags: bigint;
}

/** `struct jailhouse_cache`, 12 bytes (x86 CAT). */
export interface CacheRegion {
  readonly start: number;
  readonly size: number;
  readonly type: number;
  readonly reserved: number;
  readonly flags: number;
}

/** `struct jailhouse_irqchip`, 32 bytes: pins `pin_base + 32·i + bit` for the four 32-bit words. */
export interface IrqChip {
  readonly address: bigint;
  readonly id: number;
  readonly pin_base: number;
  readonly pin_bitmap: readonly [number, number, number, number];
}

/** `struct jailhouse_pio`, 4 bytes: ports [base, base + length). */
export interface PioRange {
  readonly base: number;
  readonly length: number;
}

/** `struct jailhouse_pci_device`, 56 bytes. */
export interface PciDevice {
  /** 1 device, 2 bridge, 3 ivshmem. */
  readonly type: number;
  readonly iommu: number;
  readonly domain: number;
  /** bus << 8 | device << 3 | function. */
  readonly bdf: number;
  readonly bar_mask: readonly [number, number, number, number, number, number];
  readonly caps_start: number;
  readonly num_caps: number;
  readonly num_msi_vectors: number;
  readonly msi_64bits: boolean;
  readonly msi_maskable: boolean;
  /** Bits 2..7 of the MSI bit-field byte; zero upstream, kept for byte identity. */
  readonly msi_reserved_bits: number;
  readonly num_msix_vectors: number;
  readonly msix_region_size: number;
  readonly msix_address: bigint;
  readonly shmem_regions_start: number;
  readonly shmem_dev_id: number;
  readonly shmem_peers: number;
  readonly shmem_protocol: number;
}

/** `struct jailhouse_pci_capability`, 8 bytes. */
export interface PciCapability {
  /** Bit 15 set: PCIe extended capability. */
  readonly id: number;
  readonly start: number;
  readonly len: number;
  /** Bit 0: writes pass through. */
  readonly flags: number;
}

/** `struct jailhouse_console`, 32 bytes. */
export interface Console {
  readonly address: bigint;
  readonly size: number;
  readonly type: number;
  readonly flags: number;
  readonly divider: number;
  readonly gate_nr: number;
  readonly clock_reg: bigint;
}

/**
 * `struct jailhouse_cell_desc` (132 bytes) and the eight arrays that follow it in the file.
 * Stream IDs are raw u32 values; for ARM MMU-500 the low 16 bits are the id, the high 16 the mask.
 */
export interface CellConfig {
  /** From the signature block; for the root cell embedded in a system file these bytes are not checked. */
  readonly arch: Arch;
  readonly name: string;
  /** Bytes of the 32-byte name field after the terminating NUL; zero upstream, kept for byte identity. */
  readonly name_tail?: string;
  readonly id: number;
  readonly flags: number;
  /** Size of the CPU bitmap in bytes (upstream: 8). */
  readonly cpu_set_size: number;
  /** CPU numbers whose bit is set, ascending. */
  readonly cpus: readonly number[];
  readonly memory_regions: readonly MemoryRegion[];
  readonly cache_regions: readonly CacheRegion[];
  readonly irqchips: readonly IrqChip[];
  readonly pio_regions: readonly PioRange[];
  readonly pci_devices: readonly PciDevice[];
  readonly pci_caps: readonly PciCapability[];
  readonly stream_ids: readonly number[];
  readonly vpci_irq_base: number;
  readonly cpu_reset_address: bigint;
  /** Poll iterations of a management exchange before the cell is declared failed; 0 = forever. */
  readonly msg_reply_timeout: bigint;
  readonly console: Console;
  /**
   * Warden extension, YAML/JSON only (never written to a binary `.cell`): virtio-mmio devices of
   * this cell with MSI vectors (hypervisor/virtio, a proposal, not ratified virtio).
   */
  readonly warden_virtio?: readonly VirtioDeviceConfig[];
  /**
   * Warden extension, YAML/JSON only (never written to a binary `.cell`; not an upstream flag):
   * the cell may run a hypervisor of its own (KVM) whose VMX instructions and EPTs Warden's
   * nested-VMX design validates (hypervisor/arch/x86/vmx*, nestedEpt*).
   */
  readonly warden_nested_vmx?: boolean;
}

/** A virtio-mmio device of a cell, with its MSI vector count (Warden extension). */
export interface VirtioDeviceConfig {
  readonly name: string;
  /** Guest-physical base of the device's virtio-mmio window. */
  readonly base: bigint;
  readonly vectors: number;
}

/** `struct jailhouse_iommu`, 28 bytes; the 12-byte tail is a union read per `type`. */
export interface IommuUnit {
  /** 0 unused, 1 AMD, 2 Intel, 3 SMMUv3, 4 TI PVU, 5 ARM MMU-500. */
  readonly type: number;
  readonly base: bigint;
  readonly size: number;
  /** AMD view: bdf u16 @16, base_cap u8 @18, msi_cap u8 @19, features u32 @20. */
  readonly amd_bdf: number;
  readonly amd_base_cap: number;
  readonly amd_msi_cap: number;
  readonly amd_features: number;
  /** Last 4 bytes of the union (TI PVU: tlb_size); the PVU's tlb_base overlays the AMD words. */
  readonly tail: number;
}

/** x86 arm of the platform union (16 of 44 bytes used). */
export interface X86Platform {
  readonly kind: "x86";
  readonly pm_timer_address: number;
  /** 0 auto, 1 xAPIC, 2 x2APIC. */
  readonly apic_mode: number;
  readonly reserved: number;
  readonly vtd_interrupt_limit: number;
  readonly tsc_khz: number;
  readonly apic_khz: number;
  /** The 28 unused bytes of the union, as 56 hex digits; all zero upstream. */
  readonly reserved_tail: string;
}

/** ARM arm of the platform union (44 bytes). */
export interface ArmPlatform {
  readonly kind: "arm";
  readonly maintenance_irq: number;
  readonly gic_version: number;
  readonly reserved: number;
  readonly gicd_base: bigint;
  readonly gicc_base: bigint;
  readonly gich_base: bigint;
  readonly gicv_base: bigint;
  readonly gicr_base: bigint;
}

export interface Platform {
  readonly pci_mmconfig_base: bigint;
  /** MMCONFIG window = (end_bus + 1) · 256 · 4096 bytes. */
  readonly pci_mmconfig_end_bus: number;
  readonly pci_is_virtual: number;
  /** 0xffff: the guest chooses. */
  readonly pci_domain: number;
  /** Always eight slots, as in the file; type 0 marks an unused slot. */
  readonly iommu_units: readonly IommuUnit[];
  readonly arch: X86Platform | ArmPlatform;
}

/** `struct jailhouse_system` (356 bytes + the embedded 132-byte root descriptor) and the root's arrays. */
export interface SystemConfig {
  readonly arch: Arch;
  readonly flags: number;
  readonly hypervisor_memory: MemoryRegion;
  readonly debug_console: Console;
  readonly platform: Platform;
  /** The embedded root descriptor; its own 8 signature/revision bytes are kept raw (hex) for byte identity. */
  readonly root_cell: CellConfig;
  readonly root_header_raw: string;
}

export type ArrayName =
  | "memory_regions"
  | "cache_regions"
  | "irqchips"
  | "pio_regions"
  | "pci_devices"
  | "pci_caps"
  | "stream_ids";

/** Where a decoded configuration came from, so findings can point at file + byte offset or field. */
export interface ConfigOrigin {
  readonly file: string;
  readonly format: "cell" | "yaml" | "json";
  /** Binary only: the revision the file was written in (12, 13 or 14; decoded and converted to 14). */
  readonly revision?: number;
  /** YAML/JSON only: where this configuration sits in its document, e.g. `cells[1]` or `system.root_cell`. */
  readonly field?: string;
  /** Binary only: file offset of each array element's descriptor, per array. */
  readonly offsets?: Readonly<Record<ArrayName, readonly number[]>>;
}

export interface LoadedSystem {
  readonly config: SystemConfig;
  readonly origin: ConfigOrigin;
}

export interface LoadedCell {
  readonly config: CellConfig;
  readonly origin: ConfigOrigin;
}

/** A system configuration plus the non-root cells to create on it, as given on the command line. */
export interface ConfigSet {
  readonly system: LoadedSystem;
  readonly cells: readonly LoadedCell[];
}
