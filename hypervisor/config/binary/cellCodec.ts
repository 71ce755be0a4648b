/**
 * The cell descriptor and its eight arrays, read from and written to bytes at a base offset (0 in
 * a cell file, after the system header in a system file). The descriptor layout is the same in
 * revisions 12–14 after the 8-byte signature block.
 */
import type { Diagnostic } from "../diagnostic.js";
import { knownCellFlagBits, knownMemFlagBits } from "../flags.js";
import type {
  Arch,
  ArrayName,
  CacheRegion,
  CellConfig,
  Console,
  IrqChip,
  MemoryRegion,
  PciCapability,
  PciDevice,
} from "../types.js";
import type { ByteReader } from "./ByteReader.js";
import { DecodeError } from "./ByteReader.js";
import type { ByteWriter } from "./ByteWriter.js";
import { CELL_DESC_SIZE, cellArrays, cellDesc } from "./layout.js";

const TWO_64 = 1n << 64n;

/** Size in bytes of a cell descriptor plus arrays, from its counts; checked before any array is read. */
export function cellConfigSize(r: ByteReader, base: number): number {
  r.need(base, CELL_DESC_SIZE, "cell descriptor");
  let size = CELL_DESC_SIZE + r.u32(base + cellDesc.cpuSetSize, "cpu_set_size");
  for (const a of cellArrays) size += r.u32(base + a.countAt, `num_${a.name}`) * a.size;
  return size;
}

export function readConsole(r: ByteReader, at: number): Console {
  return {
    address: r.u64(at, "console.address"),
    size: r.u32(at + 8, "console.size"),
    type: r.u16(at + 12, "console.type"),
    flags: r.u16(at + 14, "console.flags"),
    divider: r.u32(at + 16, "console.divider"),
    gate_nr: r.u32(at + 20, "console.gate_nr"),
    clock_reg: r.u64(at + 24, "console.clock_reg"),
  };
}

export function writeConsole(w: ByteWriter, at: number, c: Console): void {
  w.u64(at, c.address);
  w.u32(at + 8, c.size);
  w.u16(at + 12, c.type);
  w.u16(at + 14, c.flags);
  w.u32(at + 16, c.divider);
  w.u32(at + 20, c.gate_nr);
  w.u64(at + 24, c.clock_reg);
}

/** Reads a memory region, rejecting ranges whose end passes 2^64. */
export function readMemory(
  r: ByteReader,
  at: number,
  what: string,
  warnings: Diagnostic[],
  file: string,
): MemoryRegion {
  const m = {
    phys_start: r.u64(at, `${what}.phys_start`),
    virt_start: r.u64(at + 8, `${what}.virt_start`),
    size: r.u64(at + 16, `${what}.size`),
    flags: r.u64(at + 24, `${what}.flags`),
  };
  for (const start of ["phys_start", "virt_start"] as const) {
    if (m[start] + m.size > TWO_64) {
      throw new DecodeError(
        "WRD105",
        at,
        `${what}: ${start} 0x${m[start].toString(16)} + size 0x${m.size.toString(16)} wraps past 2^64`,
      );
    }
  }
  const unknown = m.flags & ~knownMemFlagBits;
  if (unknown !== 0n) {
    warnings.push({
      code: "WRD107",
      severity: "warning",
      file,
      byteOffset: at + 24,
      message: `${what}.flags has unknown bits 0x${unknown.toString(16)}`,
    });
  }
  return m;
}

export function writeMemory(w: ByteWriter, at: number, m: MemoryRegion): void {
  w.u64(at, m.phys_start);
  w.u64(at + 8, m.virt_start);
  w.u64(at + 16, m.size);
  w.u64(at + 24, m.flags);
}

export interface DecodedCell {
  readonly config: CellConfig;
  readonly offsets: Record<ArrayName, number[]>;
  /** Bytes the descriptor and its arrays occupy. */
  readonly size: number;
}

/** Reads a cell descriptor at `base` (whose signature block the caller has checked). */
export function readCell(r: ByteReader, base: number, arch: Arch, file: string, warnings: Diagnostic[]): DecodedCell {
  const size = cellConfigSize(r, base);
  r.need(base, size, "cell descriptor and its arrays (sized by its counts)");
  const nameField = r.latin1(base + cellDesc.name, cellDesc.nameSize, "name");
  const nul = nameField.indexOf("\0");
  const name = nul < 0 ? nameField : nameField.slice(0, nul);
  const tail = nul < 0 ? "" : nameField.slice(nul + 1);
  const flags = r.u32(base + cellDesc.flags, "flags");
  if ((flags & ~knownCellFlagBits) >>> 0 !== 0) {
    warnings.push({
      code: "WRD107",
      severity: "warning",
      file,
      byteOffset: base + cellDesc.flags,
      message: `cell flags have unknown bits 0x${((flags & ~knownCellFlagBits) >>> 0).toString(16)}`,
    });
  }
  const cpuSetSize = r.u32(base + cellDesc.cpuSetSize, "cpu_set_size");
  let at = base + CELL_DESC_SIZE;
  const cpus: number[] = [];
  for (let i = 0; i < cpuSetSize; i++) {
    const byte = r.u8(at + i, "cpu_set");
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) cpus.push(i * 8 + bit);
  }
  at += cpuSetSize;
  const offsets = Object.fromEntries(cellArrays.map((a) => [a.name, [] as number[]])) as Record<ArrayName, number[]>;
  const each = <T>(name: ArrayName, read: (at: number, i: number) => T): T[] => {
    const spec = cellArrays.find((a) => a.name === name);
    if (!spec) return [];
    const count = r.u32(base + spec.countAt, `num_${name}`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) {
      offsets[name].push(at);
      out.push(read(at, i));
      at += spec.size;
    }
    return out;
  };
  const memory_regions = each("memory_regions", (o, i) => readMemory(r, o, `memory_regions[${i}]`, warnings, file));
  const cache_regions = each(
    "cache_regions",
    (o): CacheRegion => ({
      start: r.u32(o, "cache.start"),
      size: r.u32(o + 4, "cache.size"),
      type: r.u8(o + 8, "cache.type"),
      reserved: r.u8(o + 9, "cache.padding"),
      flags: r.u16(o + 10, "cache.flags"),
    }),
  );
  const irqchips = each(
    "irqchips",
    (o): IrqChip => ({
      address: r.u64(o, "irqchip.address"),
      id: r.u32(o + 8, "irqchip.id"),
      pin_base: r.u32(o + 12, "irqchip.pin_base"),
      pin_bitmap: [
        r.u32(o + 16, "pin_bitmap"),
        r.u32(o + 20, "pin_bitmap"),
        r.u32(o + 24, "pin_bitmap"),
        r.u32(o + 28, "pin_bitmap"),
      ],
    }),
  );
  const pio_regions = each("pio_regions", (o) => ({ base: r.u16(o, "pio.base"), length: r.u16(o + 2, "pio.length") }));
  const pci_devices = each("pci_devices", (o) => readPciDevice(r, o));
  const pci_caps = each(
    "pci_caps",
    (o): PciCapability => ({
      id: r.u16(o, "pci_cap.id"),
      start: r.u16(o + 2, "pci_cap.start"),
      len: r.u16(o + 4, "pci_cap.len"),
      flags: r.u16(o + 6, "pci_cap.flags"),
    }),
  );
  const stream_ids = each("stream_ids", (o) => r.u32(o, "stream_id"));
  const config: CellConfig = {
    arch,
    name,
    ...(/[^\0]/.test(tail) ? { name_tail: tail } : {}),
    id: r.u32(base + cellDesc.id, "id"),
    flags,
    cpu_set_size: cpuSetSize,
    cpus,
    memory_regions,
    cache_regions,
    irqchips,
    pio_regions,
    pci_devices,
    pci_caps,
    stream_ids,
    vpci_irq_base: r.u32(base + cellDesc.vpciIrqBase, "vpci_irq_base"),
    cpu_reset_address: r.u64(base + cellDesc.cpuResetAddress, "cpu_reset_address"),
    msg_reply_timeout: r.u64(base + cellDesc.msgReplyTimeout, "msg_reply_timeout"),
    console: readConsole(r, base + cellDesc.console),
  };
  return { config, offsets, size };
}

function readPciDevice(r: ByteReader, o: number): PciDevice {
  const bits = r.u8(o + 35, "pci_device.msi_bits");
  return {
    type: r.u8(o, "pci_device.type"),
    iommu: r.u8(o + 1, "pci_device.iommu"),
    domain: r.u16(o + 2, "pci_device.domain"),
    bdf: r.u16(o + 4, "pci_device.bdf"),
    bar_mask: [0, 1, 2, 3, 4, 5].map((i) =>
      r.u32(o + 6 + 4 * i, "pci_device.bar_mask"),
    ) as unknown as PciDevice["bar_mask"],
    caps_start: r.u16(o + 30, "pci_device.caps_start"),
    num_caps: r.u16(o + 32, "pci_device.num_caps"),
    num_msi_vectors: r.u8(o + 34, "pci_device.num_msi_vectors"),
    msi_64bits: (bits & 1) !== 0,
    msi_maskable: (bits & 2) !== 0,
    msi_reserved_bits: bits >> 2,
    num_msix_vectors: r.u16(o + 36, "pci_device.num_msix_vectors"),
    msix_region_size: r.u16(o + 38, "pci_device.msix_region_size"),
    msix_address: r.u64(o + 40, "pci_device.msix_address"),
    shmem_regions_start: r.u32(o + 48, "pci_device.shmem_regions_start"),
    shmem_dev_id: r.u8(o + 52, "pci_device.shmem_dev_id"),
    shmem_peers: r.u8(o + 53, "pci_device.shmem_peers"),
    shmem_protocol: r.u16(o + 54, "pci_device.shmem_protocol"),
  };
}

/** Bytes a cell descriptor plus arrays need when written. */
export function cellSize(c: CellConfig): number {
  return (
    CELL_DESC_SIZE +
    c.cpu_set_size +
    32 * c.memory_regions.length +
    12 * c.cache_regions.length +
    32 * c.irqchips.length +
    4 * c.pio_regions.length +
    56 * c.pci_devices.length +
    8 * c.pci_caps.length +
    4 * c.stream_ids.length
  );
}

/** Writes the descriptor (from offset 8: the caller writes the signature block) and the arrays. */
export function writeCell(w: ByteWriter, base: number, c: CellConfig): void {
  const name = c.name_tail === undefined ? c.name : `${c.name}\0${c.name_tail}`;
  w.latin1(base + cellDesc.name, name.slice(0, cellDesc.nameSize));
  w.u32(base + cellDesc.id, c.id);
  w.u32(base + cellDesc.flags, c.flags);
  w.u32(base + cellDesc.cpuSetSize, c.cpu_set_size);
  const counts = [
    c.memory_regions.length,
    c.cache_regions.length,
    c.irqchips.length,
    c.pio_regions.length,
    c.pci_devices.length,
    c.pci_caps.length,
    c.stream_ids.length,
  ];
  cellArrays.forEach((a, i) => {
    w.u32(base + a.countAt, counts[i] as number);
  });
  w.u32(base + cellDesc.vpciIrqBase, c.vpci_irq_base);
  w.u64(base + cellDesc.cpuResetAddress, c.cpu_reset_address);
  w.u64(base + cellDesc.msgReplyTimeout, c.msg_reply_timeout);
  writeConsole(w, base + cellDesc.console, c.console);
  let at = base + CELL_DESC_SIZE;
  for (const cpu of c.cpus) {
    // Callers validate; a CPU outside the bitmap would overwrite the next array.
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= c.cpu_set_size * 8) {
      throw new RangeError(`CPU ${cpu} does not fit a ${c.cpu_set_size}-byte CPU set`);
    }
    const byte = at + (cpu >> 3);
    w.bytes[byte] = (w.bytes[byte] ?? 0) | (1 << (cpu & 7));
  }
  at += c.cpu_set_size;
  for (const m of c.memory_regions) {
    writeMemory(w, at, m);
    at += 32;
  }
  for (const k of c.cache_regions) {
    w.u32(at, k.start);
    w.u32(at + 4, k.size);
    w.u8(at + 8, k.type);
    w.u8(at + 9, k.reserved);
    w.u16(at + 10, k.flags);
    at += 12;
  }
  for (const q of c.irqchips) {
    w.u64(at, q.address);
    w.u32(at + 8, q.id);
    w.u32(at + 12, q.pin_base);
    q.pin_bitmap.forEach((word, i) => {
      w.u32(at + 16 + 4 * i, word);
    });
    at += 32;
  }
  for (const p of c.pio_regions) {
    w.u16(at, p.base);
    w.u16(at + 2, p.length);
    at += 4;
  }
  for (const d of c.pci_devices) {
    writePciDevice(w, at, d);
    at += 56;
  }
  for (const cap of c.pci_caps) {
    w.u16(at, cap.id);
    w.u16(at + 2, cap.start);
    w.u16(at + 4, cap.len);
    w.u16(at + 6, cap.flags);
    at += 8;
  }
  for (const s of c.stream_ids) {
    w.u32(at, s);
    at += 4;
  }
}

function writePciDevice(w: ByteWriter, o: number, d: PciDevice): void {
  w.u8(o, d.type);
  w.u8(o + 1, d.iommu);
  w.u16(o + 2, d.domain);
  w.u16(o + 4, d.bdf);
  d.bar_mask.forEach((m, i) => {
    w.u32(o + 6 + 4 * i, m);
  });
  w.u16(o + 30, d.caps_start);
  w.u16(o + 32, d.num_caps);
  w.u8(o + 34, d.num_msi_vectors);
  w.u8(o + 35, (d.msi_64bits ? 1 : 0) | (d.msi_maskable ? 2 : 0) | (d.msi_reserved_bits << 2));
  w.u16(o + 36, d.num_msix_vectors);
  w.u16(o + 38, d.msix_region_size);
  w.u64(o + 40, d.msix_address);
  w.u32(o + 48, d.shmem_regions_start);
  w.u8(o + 52, d.shmem_dev_id);
  w.u8(o + 53, d.shmem_peers);
  w.u16(o + 54, d.shmem_protocol);
}
