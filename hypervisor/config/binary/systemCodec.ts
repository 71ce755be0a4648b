/**
 * The system header (hypervisor memory, debug console, platform information) around the
 * embedded root cell. Revisions 13 and 14 share one layout; revision 12 keeps the IOMMU units
 * inside the per-architecture union, which makes its header two bytes shorter.
 */
import type { Diagnostic } from "../diagnostic.js";
import type { Arch, ArmPlatform, IommuUnit, Platform, SystemConfig, X86Platform } from "../types.js";
import type { ByteReader } from "./ByteReader.js";
import type { ByteWriter } from "./ByteWriter.js";
import {
  type DecodedCell,
  readCell,
  readConsole,
  readMemory,
  writeCell,
  writeConsole,
  writeMemory,
} from "./cellCodec.js";
import { IOMMU_SIZE, MAX_IOMMU_UNITS, SYSTEM_HEADER_SIZE, SYSTEM_HEADER_SIZE_REV12 } from "./layout.js";

export interface DecodedSystem {
  readonly config: SystemConfig;
  readonly root: DecodedCell;
}

function readIommu(r: ByteReader, at: number): IommuUnit {
  return {
    type: r.u32(at, "iommu.type"),
    base: r.u64(at + 4, "iommu.base"),
    size: r.u32(at + 12, "iommu.size"),
    amd_bdf: r.u16(at + 16, "iommu.amd_bdf"),
    amd_base_cap: r.u8(at + 18, "iommu.amd_base_cap"),
    amd_msi_cap: r.u8(at + 19, "iommu.amd_msi_cap"),
    amd_features: r.u32(at + 20, "iommu.amd_features"),
    tail: r.u32(at + 24, "iommu.tail"),
  };
}

function writeIommu(w: ByteWriter, at: number, u: IommuUnit): void {
  w.u32(at, u.type);
  w.u64(at + 4, u.base);
  w.u32(at + 12, u.size);
  w.u16(at + 16, u.amd_bdf);
  w.u8(at + 18, u.amd_base_cap);
  w.u8(at + 19, u.amd_msi_cap);
  w.u32(at + 20, u.amd_features);
  w.u32(at + 24, u.tail);
}

const iommus = (r: ByteReader, at: number): IommuUnit[] =>
  Array.from({ length: MAX_IOMMU_UNITS }, (_, i) => readIommu(r, at + i * IOMMU_SIZE));

/** Reads the platform block of a revision-13/14 header. */
function readPlatform(r: ByteReader, arch: Arch): Platform {
  const a: X86Platform | ArmPlatform =
    arch === "x86"
      ? {
          kind: "x86",
          pm_timer_address: r.u16(312, "pm_timer_address"),
          apic_mode: r.u8(314, "apic_mode"),
          reserved: r.u8(315, "x86 padding"),
          vtd_interrupt_limit: r.u32(316, "vtd_interrupt_limit"),
          tsc_khz: r.u32(320, "tsc_khz"),
          apic_khz: r.u32(324, "apic_khz"),
          reserved_tail: r.hex(328, 28, "x86 platform union tail"),
        }
      : {
          kind: "arm",
          maintenance_irq: r.u8(312, "maintenance_irq"),
          gic_version: r.u8(313, "gic_version"),
          reserved: r.u16(314, "arm padding"),
          gicd_base: r.u64(316, "gicd_base"),
          gicc_base: r.u64(324, "gicc_base"),
          gich_base: r.u64(332, "gich_base"),
          gicv_base: r.u64(340, "gicv_base"),
          gicr_base: r.u64(348, "gicr_base"),
        };
  return { ...commonPlatform(r), iommu_units: iommus(r, 88), arch: a };
}

/** Reads the platform block of a revision-12 header (IOMMU units inside the arch union). */
function readPlatformRev12(r: ByteReader, arch: Arch): Platform {
  if (arch === "x86") {
    return {
      ...commonPlatform(r),
      iommu_units: iommus(r, 106),
      arch: {
        kind: "x86",
        pm_timer_address: r.u16(88, "pm_timer_address"),
        vtd_interrupt_limit: r.u32(90, "vtd_interrupt_limit"),
        apic_mode: r.u8(94, "apic_mode"),
        reserved: 0,
        tsc_khz: r.u32(98, "tsc_khz"),
        apic_khz: r.u32(102, "apic_khz"),
        reserved_tail: "00".repeat(28),
      },
    };
  }
  return {
    ...commonPlatform(r),
    iommu_units: iommus(r, 130),
    arch: {
      kind: "arm",
      maintenance_irq: r.u8(88, "maintenance_irq"),
      gic_version: r.u8(89, "gic_version"),
      reserved: 0,
      gicd_base: r.u64(90, "gicd_base"),
      gicc_base: r.u64(98, "gicc_base"),
      gich_base: r.u64(106, "gich_base"),
      gicv_base: r.u64(114, "gicv_base"),
      gicr_base: r.u64(122, "gicr_base"),
    },
  };
}

function commonPlatform(r: ByteReader) {
  return {
    pci_mmconfig_base: r.u64(76, "pci_mmconfig_base"),
    pci_mmconfig_end_bus: r.u8(84, "pci_mmconfig_end_bus"),
    pci_is_virtual: r.u8(85, "pci_is_virtual"),
    pci_domain: r.u16(86, "pci_domain"),
  };
}

export function readSystem(
  r: ByteReader,
  arch: Arch,
  revision: number,
  file: string,
  warnings: Diagnostic[],
): DecodedSystem {
  const headerSize = revision === 12 ? SYSTEM_HEADER_SIZE_REV12 : SYSTEM_HEADER_SIZE;
  r.need(0, headerSize, "system header");
  const platform = revision === 12 ? readPlatformRev12(r, arch) : readPlatform(r, arch);
  const root = readCell(r, headerSize, arch, file, warnings);
  return {
    config: {
      arch,
      flags: r.u32(8, "flags"),
      hypervisor_memory: readMemory(r, 12, "hypervisor_memory", warnings, file),
      debug_console: readConsole(r, 44),
      platform,
      root_cell: root.config,
      root_header_raw: r.hex(headerSize, 8, "root cell signature block"),
    },
    root,
  };
}

/** Writes header fields from offset 8 (the caller writes the signature block) and the root cell. */
export function writeSystem(w: ByteWriter, s: SystemConfig): void {
  w.u32(8, s.flags);
  writeMemory(w, 12, s.hypervisor_memory);
  writeConsole(w, 44, s.debug_console);
  const p = s.platform;
  w.u64(76, p.pci_mmconfig_base);
  w.u8(84, p.pci_mmconfig_end_bus);
  w.u8(85, p.pci_is_virtual);
  w.u16(86, p.pci_domain);
  p.iommu_units.slice(0, MAX_IOMMU_UNITS).forEach((u, i) => {
    writeIommu(w, 88 + i * IOMMU_SIZE, u);
  });
  const a = p.arch;
  if (a.kind === "x86") {
    w.u16(312, a.pm_timer_address);
    w.u8(314, a.apic_mode);
    w.u8(315, a.reserved);
    w.u32(316, a.vtd_interrupt_limit);
    w.u32(320, a.tsc_khz);
    w.u32(324, a.apic_khz);
    w.hex(328, a.reserved_tail);
  } else {
    w.u8(312, a.maintenance_irq);
    w.u8(313, a.gic_version);
    w.u16(314, a.reserved);
    w.u64(316, a.gicd_base);
    w.u64(324, a.gicc_base);
    w.u64(332, a.gich_base);
    w.u64(340, a.gicv_base);
    w.u64(348, a.gicr_base);
  }
  w.hex(SYSTEM_HEADER_SIZE, s.root_header_raw);
  writeCell(w, SYSTEM_HEADER_SIZE, s.root_cell);
}
