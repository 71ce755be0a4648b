/**
 * A cell configuration in the human form: the zod schema that reads it into the typed model, and
 * the inverse that writes the typed model back, leaving out fields at their defaults.
 */
import { z } from "zod";
import { cacheFlags, cacheTypes, cellFlags, consoleFlags, consoleTypes, memFlags, pciTypes } from "../flags.js";
import type { Arch, CellConfig, Console, MemoryRegion, PciDevice } from "../types.js";
import { bdf, enumName, enumOf, flagList, flagNames, hex, showBdf, u64, uint } from "./scalars.js";

const u8 = uint(8);
const u16 = uint(16);
const u32 = uint(32);
const TWO_64 = 1n << 64n;

export const archSchema = z.enum(["x86", "arm", "arm64"]);

export const memoryForm = z
  .strictObject({
    phys_start: u64,
    virt_start: u64.optional(),
    size: u64,
    flags: flagList(memFlags, 0n).prefault([]),
  })
  .transform((m, ctx): MemoryRegion => {
    const virt = m.virt_start ?? m.phys_start;
    for (const [name, start] of [
      ["phys_start", m.phys_start],
      ["virt_start", virt],
    ] as const) {
      if (start + m.size > TWO_64) {
        ctx.addIssue({ code: "custom", path: ["size"], message: `${name} + size wraps past 2^64` });
        return z.NEVER;
      }
    }
    return { phys_start: m.phys_start, virt_start: virt, size: m.size, flags: m.flags as bigint };
  });

export const consoleForm = z
  .strictObject({
    address: u64.default(0n),
    size: u32.default(0),
    type: enumOf(consoleTypes, 16).default(0),
    flags: flagList(consoleFlags, 0).prefault([]),
    divider: u32.default(0),
    gate_nr: u32.default(0),
    clock_reg: u64.default(0n),
  })
  .transform((c): Console => ({ ...c, flags: c.flags as number }));

const pciForm = z.strictObject({
  type: enumOf(pciTypes, 8),
  iommu: u8.default(0),
  domain: u16.default(0),
  bdf,
  bar_mask: z.array(u32).length(6).default([0, 0, 0, 0, 0, 0]),
  caps_start: u16.default(0),
  num_caps: u16.default(0),
  num_msi_vectors: u8.default(0),
  msi_64bits: z.boolean().default(false),
  msi_maskable: z.boolean().default(false),
  msi_reserved_bits: z.number().int().min(0).max(63).default(0),
  num_msix_vectors: u16.default(0),
  msix_region_size: u16.default(0),
  msix_address: u64.default(0n),
  shmem_regions_start: u32.default(0),
  shmem_dev_id: u8.default(0),
  shmem_peers: u8.default(0),
  shmem_protocol: u16.default(0),
});

/** The fields of a cell; `arch` defaults to the system's in a set, to x86 alone. */
export const cellFields = {
  name: z.string().max(31, "at most 31 characters (the field is 32 bytes with its NUL)"),
  name_tail: z.string().optional(),
  id: u32.default(0),
  flags: flagList(cellFlags, 0).prefault([]),
  cpu_set_size: u32.default(8),
  cpus: z.array(z.number().int().min(0)).default([]),
  memory_regions: z.array(memoryForm).default([]),
  cache_regions: z
    .array(
      z.strictObject({
        start: u32,
        size: u32,
        type: enumOf(cacheTypes, 8),
        reserved: u8.default(0),
        flags: flagList(cacheFlags, 0).prefault([]),
      }),
    )
    .default([]),
  irqchips: z
    .array(
      z.strictObject({
        address: u64,
        id: u32.default(0),
        pin_base: u32.default(0),
        /** Pin numbers granted, each within pin_base .. pin_base + 127. */
        pins: z.array(z.number().int().min(0)).default([]),
      }),
    )
    .default([]),
  pio_regions: z.array(z.strictObject({ base: u16, length: u16 })).default([]),
  pci_devices: z.array(pciForm).default([]),
  pci_caps: z.array(z.strictObject({ id: u16, start: u16, len: u16, flags: u16.default(0) })).default([]),
  stream_ids: z.array(u32).default([]),
  vpci_irq_base: u32.default(0),
  cpu_reset_address: u64.default(0n),
  msg_reply_timeout: u64.default(0n),
  console: consoleForm.prefault({}),
  /** Warden extension: virtio-mmio devices with MSI vectors; in binary, a trailer after what upstream reads (virtioTrailer.ts). */
  warden_virtio: z
    .array(z.strictObject({ name: z.string().min(1).max(31), base: u64, vectors: z.number().int().min(1).max(32) }))
    .optional(),
  /** Warden extension: nested VMX (KVM in the cell) with validated EPTs; not part of the binary format. */
  warden_nested_vmx: z.boolean().optional(),
};

export const cellForm = z.strictObject({ arch: archSchema.optional(), ...cellFields });
export type CellFormOutput = z.output<typeof cellForm>;

/** Turns the parsed form into the typed model, checking what spans fields (CPU set size, pins). */
export function cellFromForm(
  f: CellFormOutput,
  arch: Arch,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): CellConfig | undefined {
  const bad = f.cpus.find((c) => c >= f.cpu_set_size * 8);
  if (bad !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "cpus"],
      message: `CPU ${bad} does not fit a ${f.cpu_set_size}-byte CPU set`,
    });
    return undefined;
  }
  const irqchips = [];
  for (const [i, chip] of f.irqchips.entries()) {
    const words: [number, number, number, number] = [0, 0, 0, 0];
    for (const pin of chip.pins) {
      const bit = pin - chip.pin_base;
      if (bit < 0 || bit >= 128) {
        ctx.addIssue({
          code: "custom",
          path: [...path, "irqchips", i, "pins"],
          message: `pin ${pin} is outside pin_base ${chip.pin_base} .. ${chip.pin_base + 127}`,
        });
        return undefined;
      }
      words[bit >> 5] = (words[bit >> 5] as number) | ((1 << (bit & 31)) >>> 0);
      words[bit >> 5] = (words[bit >> 5] as number) >>> 0;
    }
    irqchips.push({ address: chip.address, id: chip.id, pin_base: chip.pin_base, pin_bitmap: words });
  }
  return {
    arch,
    name: f.name,
    ...(f.name_tail ? { name_tail: f.name_tail } : {}),
    id: f.id,
    flags: f.flags as number,
    cpu_set_size: f.cpu_set_size,
    cpus: [...new Set(f.cpus)].sort((a, b) => a - b),
    memory_regions: f.memory_regions,
    cache_regions: f.cache_regions.map((c) => ({ ...c, flags: c.flags as number })),
    irqchips,
    pio_regions: f.pio_regions,
    pci_devices: f.pci_devices.map((d) => ({ ...d, bar_mask: d.bar_mask as unknown as PciDevice["bar_mask"] })),
    pci_caps: f.pci_caps,
    stream_ids: f.stream_ids,
    vpci_irq_base: f.vpci_irq_base,
    cpu_reset_address: f.cpu_reset_address,
    msg_reply_timeout: f.msg_reply_timeout,
    console: f.console,
    ...(f.warden_virtio ? { warden_virtio: f.warden_virtio } : {}),
    ...(f.warden_nested_vmx ? { warden_nested_vmx: true } : {}),
  };
}

/** Keeps only entries whose value differs from the default. */
function nonDefault(o: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k])));
}

export function memoryToForm(m: MemoryRegion): Record<string, unknown> {
  return {
    phys_start: hex(m.phys_start),
    ...(m.virt_start !== m.phys_start ? { virt_start: hex(m.virt_start) } : {}),
    size: hex(m.size),
    flags: flagNames(memFlags, m.flags),
  };
}

export function consoleToForm(c: Console): Record<string, unknown> {
  return nonDefault(
    {
      address: hex(c.address),
      size: hex(c.size),
      type: enumName(consoleTypes, c.type),
      flags: flagNames(consoleFlags, c.flags),
      divider: hex(c.divider),
      gate_nr: c.gate_nr,
      clock_reg: hex(c.clock_reg),
    },
    { address: "0x0", size: "0x0", type: "NONE", flags: [], divider: "0x0", gate_nr: 0, clock_reg: "0x0" },
  );
}

/** Pin numbers granted by an IRQ chip's bitmap: `base + 32·word + bit`. */
export function pinsOf(base: number, words: readonly number[]): number[] {
  const pins: number[] = [];
  words.forEach((w, i) => {
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) pins.push(base + 32 * i + b);
  });
  return pins;
}

/** The human form of a cell; `withArch` adds the architecture (for a cell document on its own). */
export function cellToForm(c: CellConfig, withArch: boolean): Record<string, unknown> {
  const pci = c.pci_devices.map((d) =>
    nonDefault(
      {
        type: enumName(pciTypes, d.type),
        iommu: d.iommu,
        domain: d.domain,
        bdf: showBdf(d.bdf),
        bar_mask: d.bar_mask.map((m) => hex(m)),
        caps_start: d.caps_start,
        num_caps: d.num_caps,
        num_msi_vectors: d.num_msi_vectors,
        msi_64bits: d.msi_64bits,
        msi_maskable: d.msi_maskable,
        msi_reserved_bits: d.msi_reserved_bits,
        num_msix_vectors: d.num_msix_vectors,
        msix_region_size: hex(d.msix_region_size),
        msix_address: hex(d.msix_address),
        shmem_regions_start: d.shmem_regions_start,
        shmem_dev_id: d.shmem_dev_id,
        shmem_peers: d.shmem_peers,
        shmem_protocol: hex(d.shmem_protocol),
      },
      {
        iommu: 0,
        domain: 0,
        bar_mask: ["0x0", "0x0", "0x0", "0x0", "0x0", "0x0"],
        caps_start: 0,
        num_caps: 0,
        num_msi_vectors: 0,
        msi_64bits: false,
        msi_maskable: false,
        msi_reserved_bits: 0,
        num_msix_vectors: 0,
        msix_region_size: "0x0",
        msix_address: "0x0",
        shmem_regions_start: 0,
        shmem_dev_id: 0,
        shmem_peers: 0,
        shmem_protocol: "0x0",
      },
    ),
  );
  const form = nonDefault(
    {
      ...(withArch ? { arch: c.arch } : {}),
      name: c.name,
      name_tail: c.name_tail,
      id: c.id,
      flags: flagNames(cellFlags, c.flags),
      cpu_set_size: c.cpu_set_size,
      cpus: c.cpus,
      memory_regions: c.memory_regions.map(memoryToForm),
      cache_regions: c.cache_regions.map((k) =>
        nonDefault(
          {
            start: k.start,
            size: k.size,
            type: enumName(cacheTypes, k.type),
            reserved: k.reserved,
            flags: flagNames(cacheFlags, k.flags),
          },
          { reserved: 0, flags: [] },
        ),
      ),
      irqchips: c.irqchips.map((q) =>
        nonDefault(
          { address: hex(q.address), id: hex(q.id), pin_base: q.pin_base, pins: pinsOf(q.pin_base, q.pin_bitmap) },
          { id: "0x0", pin_base: 0 },
        ),
      ),
      pio_regions: c.pio_regions.map((p) => ({ base: hex(p.base), length: hex(p.length) })),
      pci_devices: pci,
      pci_caps: c.pci_caps.map((p) =>
        nonDefault({ id: hex(p.id), start: hex(p.start), len: p.len, flags: p.flags }, { flags: 0 }),
      ),
      stream_ids: c.stream_ids.map((s) => hex(s)),
      vpci_irq_base: c.vpci_irq_base,
      cpu_reset_address: hex(c.cpu_reset_address),
      msg_reply_timeout:
        Number(c.msg_reply_timeout) <= Number.MAX_SAFE_INTEGER ? Number(c.msg_reply_timeout) : hex(c.msg_reply_timeout),
      console: consoleToForm(c.console),
      warden_virtio: c.warden_virtio?.map((d) => ({ name: d.name, base: hex(d.base), vectors: d.vectors })),
      warden_nested_vmx: c.warden_nested_vmx,
    },
    {
      name_tail: undefined,
      id: 0,
      flags: [],
      cpu_set_size: 8,
      cpus: [],
      memory_regions: [],
      cache_regions: [],
      irqchips: [],
      pio_regions: [],
      pci_devices: [],
      pci_caps: [],
      stream_ids: [],
      vpci_irq_base: 0,
      cpu_reset_address: "0x0",
      msg_reply_timeout: 0,
      console: {},
    },
  );
  return form;
}
