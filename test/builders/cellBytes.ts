/**
 * Writes configuration bytes field by field at the offsets documented in semantics.md §4.2,
 * independently of Warden's encoder, so the decoder is tested against the format itself.
 * Every field gets a distinct value, so a field read from the wrong offset cannot pass.
 */
export interface Placed {
  readonly field: string;
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly value: bigint;
}

export class BytesBuilder {
  private readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly placed: Placed[] = [];
  private next = 1n;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  text(offset: number, s: string): this {
    this.bytes.set(Buffer.from(s, "latin1"), offset);
    return this;
  }

  /** Writes an explicit value. */
  put(field: string, offset: number, size: 1 | 2 | 4 | 8, value: bigint | number): this {
    const v = BigInt(value);
    if (size === 1) this.view.setUint8(offset, Number(v));
    else if (size === 2) this.view.setUint16(offset, Number(v), true);
    else if (size === 4) this.view.setUint32(offset, Number(v), true);
    else this.view.setBigUint64(offset, v, true);
    this.placed.push({ field, offset, size, value: v });
    return this;
  }

  /** Writes a fresh distinct small value (fits any width). */
  mark(field: string, offset: number, size: 1 | 2 | 4 | 8): this {
    const v = this.next++;
    return this.put(field, offset, size, size === 8 ? v << 8n : v);
  }
}

/** Offsets inside each array element (semantics.md §4.2). */
export const memoryFields = [
  ["phys_start", 0, 8],
  ["virt_start", 8, 8],
  ["size", 16, 8],
  ["flags", 24, 8],
] as const;
export const consoleFields = [
  ["address", 0, 8],
  ["size", 8, 4],
  ["type", 12, 2],
  ["flags", 14, 2],
  ["divider", 16, 4],
  ["gate_nr", 20, 4],
  ["clock_reg", 24, 8],
] as const;
export const cacheFields = [
  ["start", 0, 4],
  ["size", 4, 4],
  ["type", 8, 1],
  ["reserved", 9, 1],
  ["flags", 10, 2],
] as const;
export const irqchipFields = [
  ["address", 0, 8],
  ["id", 8, 4],
  ["pin_base", 12, 4],
] as const;
export const pciFields = [
  ["type", 0, 1],
  ["iommu", 1, 1],
  ["domain", 2, 2],
  ["bdf", 4, 2],
  ["caps_start", 30, 2],
  ["num_caps", 32, 2],
  ["num_msi_vectors", 34, 1],
  ["num_msix_vectors", 36, 2],
  ["msix_region_size", 38, 2],
  ["msix_address", 40, 8],
  ["shmem_regions_start", 48, 4],
  ["shmem_dev_id", 52, 1],
  ["shmem_peers", 53, 1],
  ["shmem_protocol", 54, 2],
] as const;
export const capFields = [
  ["id", 0, 2],
  ["start", 2, 2],
  ["len", 4, 2],
  ["flags", 6, 2],
] as const;

/**
 * A revision-14 cell file with one element in every array and a distinct value in every field:
 * cpu_set_size 8 with CPUs 1 and 9, then 1 memory region, 1 cache region, 1 irqchip, 1 PIO range,
 * 1 PCI device, 1 capability, 1 stream ID.
 */
export function markedCellFile(): BytesBuilder {
  const size = 132 + 8 + 32 + 12 + 32 + 4 + 56 + 8 + 4;
  const b = new BytesBuilder(size).text(0, "JHCLL").put("architecture", 5, 1, 2).put("revision", 6, 2, 14);
  b.text(8, "marked");
  b.mark("id", 40, 4).put("flags", 44, 4, 0x1);
  b.put("cpu_set_size", 48, 4, 8);
  for (const [i, at] of [52, 56, 60, 64, 68, 72, 76].entries()) b.put(`count${i}`, at, 4, 1);
  b.mark("vpci_irq_base", 80, 4).mark("cpu_reset_address", 84, 8).mark("msg_reply_timeout", 92, 8);
  for (const [f, o, s] of consoleFields) b.mark(`console.${f}`, 100 + o, s);
  let at = 132;
  b.put("cpu_set", at, 2, 0x0202);
  at += 8;
  for (const [f, o, s] of memoryFields)
    b.put(`memory_regions[0].${f}`, at + o, s, f === "flags" ? 0x3n : BigInt(o + 1) << 12n);
  at += 32;
  for (const [f, o, s] of cacheFields) b.mark(`cache_regions[0].${f}`, at + o, s);
  at += 12;
  for (const [f, o, s] of irqchipFields) b.mark(`irqchips[0].${f}`, at + o, s);
  for (let i = 0; i < 4; i++) b.mark(`irqchips[0].pin_bitmap[${i}]`, at + 16 + 4 * i, 4);
  at += 32;
  b.mark("pio_regions[0].base", at, 2).mark("pio_regions[0].length", at + 2, 2);
  at += 4;
  for (const [f, o, s] of pciFields) b.mark(`pci_devices[0].${f}`, at + o, s);
  for (let i = 0; i < 6; i++) b.mark(`pci_devices[0].bar_mask[${i}]`, at + 6 + 4 * i, 4);
  b.put("pci_devices[0].msi_bits", at + 35, 1, 0x3);
  at += 56;
  for (const [f, o, s] of capFields) b.mark(`pci_caps[0].${f}`, at + o, s);
  at += 8;
  b.mark("stream_ids[0]", at, 4);
  return b;
}

/** IOMMU unit fields, relative to the unit (semantics.md §4.2). */
export const iommuFields = [
  ["type", 0, 4],
  ["base", 4, 8],
  ["size", 12, 4],
  ["amd_bdf", 16, 2],
  ["amd_base_cap", 18, 1],
  ["amd_msi_cap", 19, 1],
  ["amd_features", 20, 4],
  ["tail", 24, 4],
] as const;

const x86Fields = [
  ["pm_timer_address", 312, 2],
  ["apic_mode", 314, 1],
  ["reserved", 315, 1],
  ["vtd_interrupt_limit", 316, 4],
  ["tsc_khz", 320, 4],
  ["apic_khz", 324, 4],
] as const;

const armFields = [
  ["maintenance_irq", 312, 1],
  ["gic_version", 313, 1],
  ["reserved", 314, 2],
  ["gicd_base", 316, 8],
  ["gicc_base", 324, 8],
  ["gich_base", 332, 8],
  ["gicv_base", 340, 8],
  ["gicr_base", 348, 8],
] as const;

/**
 * A revision-14 system file with a distinct value in every header field: flags, hypervisor memory,
 * debug console, PCI platform fields, all eight IOMMU units, the x86 or ARM block, and an embedded
 * root cell with an empty CPU set and no arrays. Field paths are relative to the SystemConfig.
 */
export function markedSystemFile(arch: "x86" | "arm64"): BytesBuilder {
  const b = new BytesBuilder(356 + 132)
    .text(0, "JHSYS")
    .put("architecture", 5, 1, arch === "x86" ? 0 : 2)
    .put("revision", 6, 2, 14);
  b.mark("flags", 8, 4);
  b.put("hypervisor_memory.phys_start", 12, 8, 0x3a000000n)
    .put("hypervisor_memory.virt_start", 20, 8, 0x3b000000n)
    .put("hypervisor_memory.size", 28, 8, 0x600000n)
    .put("hypervisor_memory.flags", 36, 8, 0x3n);
  for (const [f, o, s] of consoleFields) b.mark(`debug_console.${f}`, 44 + o, s);
  b.mark("platform.pci_mmconfig_base", 76, 8)
    .mark("platform.pci_mmconfig_end_bus", 84, 1)
    .mark("platform.pci_is_virtual", 85, 1)
    .mark("platform.pci_domain", 86, 2);
  for (let u = 0; u < 8; u++) {
    for (const [f, o, s] of iommuFields) b.mark(`platform.iommu_units[${u}].${f}`, 88 + 28 * u + o, s);
  }
  for (const [f, o, s] of arch === "x86" ? x86Fields : armFields) b.mark(`platform.arch.${f}`, o, s);
  b.text(356 + 8, "root").put("root_cell.cpu_set_size", 356 + 48, 4, 0);
  b.mark("root_cell.id", 356 + 40, 4);
  return b;
}
