/** The system configuration in the human form, and its inverse. */
import { z } from "zod";
import { apicModes, iommuTypes, systemFlags } from "../flags.js";
import type { Arch, IommuUnit, Platform, SystemConfig } from "../types.js";
import {
  archSchema,
  type CellFormOutput,
  cellFields,
  cellFromForm,
  cellToForm,
  consoleForm,
  consoleToForm,
  memoryForm,
  memoryToForm,
} from "./cellForm.js";
import { enumName, enumOf, flagList, flagNames, hex, u64, uint } from "./scalars.js";

const u8 = uint(8);
const u16 = uint(16);
const u32 = uint(32);

const iommuForm = z.strictObject({
  type: enumOf(iommuTypes, 32),
  base: u64,
  size: u32,
  amd_bdf: u16.default(0),
  amd_base_cap: u8.default(0),
  amd_msi_cap: u8.default(0),
  amd_features: u32.default(0),
  tail: u32.default(0),
});

const x86Form = z.strictObject({
  pm_timer_address: u16.default(0),
  apic_mode: enumOf(apicModes, 8).default(0),
  reserved: u8.default(0),
  vtd_interrupt_limit: u32.default(0),
  tsc_khz: u32.default(0),
  apic_khz: u32.default(0),
  reserved_tail: z
    .string()
    .regex(/^[0-9a-f]{56}$/)
    .default("00".repeat(28)),
});

const armForm = z.strictObject({
  maintenance_irq: u8.default(0),
  gic_version: u8.default(0),
  reserved: u16.default(0),
  gicd_base: u64.default(0n),
  gicc_base: u64.default(0n),
  gich_base: u64.default(0n),
  gicv_base: u64.default(0n),
  gicr_base: u64.default(0n),
});

export const systemForm = z.strictObject({
  arch: archSchema,
  flags: flagList(systemFlags, 0).prefault([]),
  hypervisor_memory: memoryForm,
  debug_console: consoleForm.optional(),
  platform: z
    .strictObject({
      pci_mmconfig_base: u64.default(0n),
      pci_mmconfig_end_bus: u8.default(0),
      pci_is_virtual: u8.default(0),
      pci_domain: u16.default(0),
      iommu_units: z.array(iommuForm).max(8, "at most 8 IOMMU units").default([]),
      x86: x86Form.optional(),
      arm: armForm.optional(),
    })
    .prefault({}),
  root_header_raw: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .default("00".repeat(8)),
  root_cell: z.strictObject(cellFields),
});
export type SystemFormOutput = z.output<typeof systemForm>;

const unusedIommu: IommuUnit = {
  type: 0,
  base: 0n,
  size: 0,
  amd_bdf: 0,
  amd_base_cap: 0,
  amd_msi_cap: 0,
  amd_features: 0,
  tail: 0,
};

export function systemFromForm(
  f: SystemFormOutput,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): SystemConfig | undefined {
  const arch: Arch = f.arch;
  const p = f.platform;
  const wrongBlock = arch === "x86" ? p.arm : p.x86;
  if (wrongBlock) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "platform", arch === "x86" ? "arm" : "x86"],
      message: `not valid for arch ${arch}`,
    });
    return undefined;
  }
  const units = [...p.iommu_units, ...Array.from({ length: 8 - p.iommu_units.length }, () => unusedIommu)];
  const platform: Platform = {
    pci_mmconfig_base: p.pci_mmconfig_base,
    pci_mmconfig_end_bus: p.pci_mmconfig_end_bus,
    pci_is_virtual: p.pci_is_virtual,
    pci_domain: p.pci_domain,
    iommu_units: units,
    arch:
      arch === "x86"
        ? { kind: "x86", ...(p.x86 ?? x86Form.parse({})) }
        : { kind: "arm", ...(p.arm ?? armForm.parse({})) },
  };
  const root = cellFromForm(f.root_cell as CellFormOutput, arch, ctx, [...path, "root_cell"]);
  if (!root) return undefined;
  return {
    arch,
    flags: f.flags as number,
    hypervisor_memory: f.hypervisor_memory,
    debug_console: f.debug_console ?? consoleForm.parse({}),
    platform,
    root_cell: root,
    root_header_raw: f.root_header_raw,
  };
}

export function systemToForm(s: SystemConfig): Record<string, unknown> {
  const p = s.platform;
  const used = p.iommu_units.filter(
    (u, i) =>
      u.type !== 0 || p.iommu_units.slice(i).some((v) => JSON.stringify(v, big) !== JSON.stringify(unusedIommu, big)),
  );
  const a = p.arch;
  const archBlock =
    a.kind === "x86"
      ? {
          x86: {
            pm_timer_address: hex(a.pm_timer_address),
            apic_mode: enumName(apicModes, a.apic_mode),
            ...(a.reserved ? { reserved: a.reserved } : {}),
            vtd_interrupt_limit: a.vtd_interrupt_limit,
            tsc_khz: a.tsc_khz,
            apic_khz: a.apic_khz,
            ...(/[^0]/.test(a.reserved_tail) ? { reserved_tail: a.reserved_tail } : {}),
          },
        }
      : {
          arm: {
            maintenance_irq: a.maintenance_irq,
            gic_version: a.gic_version,
            ...(a.reserved ? { reserved: a.reserved } : {}),
            gicd_base: hex(a.gicd_base),
            gicc_base: hex(a.gicc_base),
            gich_base: hex(a.gich_base),
            gicv_base: hex(a.gicv_base),
            gicr_base: hex(a.gicr_base),
          },
        };
  return {
    arch: s.arch,
    ...(s.flags ? { flags: flagNames(systemFlags, s.flags) } : {}),
    hypervisor_memory: memoryToForm(s.hypervisor_memory),
    debug_console: consoleToForm(s.debug_console),
    platform: {
      pci_mmconfig_base: hex(p.pci_mmconfig_base),
      pci_mmconfig_end_bus: p.pci_mmconfig_end_bus,
      pci_is_virtual: p.pci_is_virtual,
      pci_domain: hex(p.pci_domain),
      iommu_units: used.map((u) => ({
        type: enumName(iommuTypes, u.type),
        base: hex(u.base),
        size: hex(u.size),
        ...(u.amd_bdf ? { amd_bdf: u.amd_bdf } : {}),
        ...(u.amd_base_cap ? { amd_base_cap: u.amd_base_cap } : {}),
        ...(u.amd_msi_cap ? { amd_msi_cap: u.amd_msi_cap } : {}),
        ...(u.amd_features ? { amd_features: hex(u.amd_features) } : {}),
        ...(u.tail ? { tail: hex(u.tail) } : {}),
      })),
      ...archBlock,
    },
    ...(/[^0]/.test(s.root_header_raw) ? { root_header_raw: s.root_header_raw } : {}),
    root_cell: cellToForm(s.root_cell, false),
  };
}

const big = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
