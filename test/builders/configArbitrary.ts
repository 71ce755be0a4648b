/** fast-check arbitraries for the typed configuration model: any value the binary format can hold. */
import fc from "fast-check";
import type {
  Arch,
  CellConfig,
  Console,
  IommuUnit,
  MemoryRegion,
  PciDevice,
  Platform,
  SystemConfig,
} from "../../hypervisor/index.js";

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));

/** A region whose ends stay within 2^64, the only kind a valid file holds. */
export const memoryRegion: fc.Arbitrary<MemoryRegion> = fc.tuple(u64, u64, u64, u64).map(([p, v, size, flags]) => {
  const max = (1n << 64n) - (p > v ? p : v);
  return { phys_start: p, virt_start: v, size: size % (max + 1n), flags };
});

export const consoleArb: fc.Arbitrary<Console> = fc.record({
  address: u64,
  size: u32,
  type: u16,
  flags: u16,
  divider: u32,
  gate_nr: u32,
  clock_reg: u64,
});

const pciDevice: fc.Arbitrary<PciDevice> = fc.record({
  type: u8,
  iommu: u8,
  domain: u16,
  bdf: u16,
  bar_mask: fc.tuple(u32, u32, u32, u32, u32, u32),
  caps_start: u16,
  num_caps: u16,
  num_msi_vectors: u8,
  msi_64bits: fc.boolean(),
  msi_maskable: fc.boolean(),
  msi_reserved_bits: fc.integer({ min: 0, max: 63 }),
  num_msix_vectors: u16,
  msix_region_size: u16,
  msix_address: u64,
  shmem_regions_start: u32,
  shmem_dev_id: u8,
  shmem_peers: u8,
  shmem_protocol: u16,
});

const printable = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz-_0123456789"), maxLength: 31 });

export function cellConfig(arch?: Arch): fc.Arbitrary<CellConfig> {
  return fc
    .record({
      arch: arch ? fc.constant(arch) : fc.constantFrom<Arch>("x86", "arm", "arm64"),
      name: printable,
      id: u32,
      flags: u32,
      cpu_set_size: fc.integer({ min: 0, max: 16 }),
      cpuBits: fc.array(fc.integer({ min: 0, max: 127 }), { maxLength: 8 }),
      memory_regions: fc.array(memoryRegion, { maxLength: 5 }),
      cache_regions: fc.array(fc.record({ start: u32, size: u32, type: u8, reserved: u8, flags: u16 }), {
        maxLength: 2,
      }),
      irqchips: fc.array(
        fc.record({ address: u64, id: u32, pin_base: u32, pin_bitmap: fc.tuple(u32, u32, u32, u32) }),
        {
          maxLength: 2,
        },
      ),
      pio_regions: fc.array(fc.record({ base: u16, length: u16 }), { maxLength: 3 }),
      pci_devices: fc.array(pciDevice, { maxLength: 2 }),
      pci_caps: fc.array(fc.record({ id: u16, start: u16, len: u16, flags: u16 }), { maxLength: 2 }),
      stream_ids: fc.array(u32, { maxLength: 3 }),
      vpci_irq_base: u32,
      cpu_reset_address: u64,
      msg_reply_timeout: u64,
      console: consoleArb,
    })
    .map(({ cpuBits, ...c }) => ({
      ...c,
      cpus: [...new Set(cpuBits.filter((b) => b < c.cpu_set_size * 8))].sort((a, b) => a - b),
    }));
}

const iommu: fc.Arbitrary<IommuUnit> = fc.record({
  type: u32,
  base: u64,
  size: u32,
  amd_bdf: u16,
  amd_base_cap: u8,
  amd_msi_cap: u8,
  amd_features: u32,
  tail: u32,
});

function platform(arch: Arch): fc.Arbitrary<Platform> {
  const common = {
    pci_mmconfig_base: u64,
    pci_mmconfig_end_bus: u8,
    pci_is_virtual: u8,
    pci_domain: u16,
    iommu_units: fc.array(iommu, { minLength: 8, maxLength: 8 }),
  };
  const archBlock =
    arch === "x86"
      ? fc.record({
          kind: fc.constant("x86" as const),
          pm_timer_address: u16,
          apic_mode: u8,
          reserved: u8,
          vtd_interrupt_limit: u32,
          tsc_khz: u32,
          apic_khz: u32,
          reserved_tail: hex(28),
        })
      : fc.record({
          kind: fc.constant("arm" as const),
          maintenance_irq: u8,
          gic_version: u8,
          reserved: u16,
          gicd_base: u64,
          gicc_base: u64,
          gich_base: u64,
          gicv_base: u64,
          gicr_base: u64,
        });
  return fc.record({ ...common, arch: archBlock });
}

export function systemConfig(): fc.Arbitrary<SystemConfig> {
  return fc.constantFrom<Arch>("x86", "arm", "arm64").chain((arch) =>
    fc.record({
      arch: fc.constant(arch),
      flags: u32,
      hypervisor_memory: memoryRegion,
      debug_console: consoleArb,
      platform: platform(arch),
      root_cell: cellConfig(arch),
      root_header_raw: hex(8),
    }),
  );
}
