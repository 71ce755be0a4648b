/**
 * Warden's `warden_virtio` extension in binary cell configurations: a trailer right after the
 * `jailhouse_cell_config_size` bytes. Upstream's driver passes the whole file and its hypervisor
 * maps only the size the descriptor's counts give, so both ignore the trailer; a cell without
 * devices encodes exactly as before (no trailer). CELL_CREATE reads it from the same guest
 * memory as the descriptor, so device assignment flows through cell creation.
 *
 * Layout (little endian): magic "WRDVIRT" and version byte 1 (8 bytes), u32 device count, u32
 * reserved; then per device 48 bytes: name (32 bytes, NUL-padded, at least one NUL), u64 base of
 * the virtio-mmio window, u32 MSI vector count (1..32), u32 reserved.
 */
import type { VirtioDeviceConfig } from "../types.js";
import { ByteReader, DecodeError } from "./ByteReader.js";
import { ByteWriter } from "./ByteWriter.js";

const MAGIC = "WRDVIRT\x01";
export const VIRTIO_TRAILER_HEADER_SIZE = 16;
const ENTRY_SIZE = 48;
const NAME_SIZE = 32;
/** More devices than this in one cell is taken as garbage, not a trailer. */
const MAX_DEVICES = 64;
const MAX_VECTORS = 32;

export function virtioTrailerSize(count: number): number {
  return VIRTIO_TRAILER_HEADER_SIZE + count * ENTRY_SIZE;
}

/** The trailer for a cell's devices (empty when it has none). */
export function encodeVirtioTrailer(devices: readonly VirtioDeviceConfig[] | undefined): Uint8Array {
  if (!devices || devices.length === 0) return new Uint8Array(0);
  const w = new ByteWriter(virtioTrailerSize(devices.length));
  w.latin1(0, MAGIC);
  w.u32(8, devices.length);
  devices.forEach((d, i) => {
    const at = VIRTIO_TRAILER_HEADER_SIZE + i * ENTRY_SIZE;
    w.latin1(at, d.name.slice(0, NAME_SIZE - 1));
    w.u64(at + NAME_SIZE, d.base);
    w.u32(at + NAME_SIZE + 8, d.vectors);
  });
  return w.bytes;
}

/** The device count a trailer header announces, or undefined when the bytes are not a trailer header. */
export function virtioTrailerCount(header: Uint8Array): number | undefined {
  if (header.length < VIRTIO_TRAILER_HEADER_SIZE) return undefined;
  const magic = String.fromCharCode(...header.subarray(0, MAGIC.length));
  if (magic !== MAGIC) return undefined;
  const count = new DataView(header.buffer, header.byteOffset).getUint32(8, true);
  return count <= MAX_DEVICES ? count : undefined;
}

/**
 * The devices of the trailer at `at`, or undefined when none starts there. A trailer that is
 * truncated or holds a value outside its encoding throws a `DecodeError` with the byte offset.
 */
export function readVirtioTrailer(bytes: Uint8Array, at: number): VirtioDeviceConfig[] | undefined {
  const count = virtioTrailerCount(bytes.subarray(at, at + VIRTIO_TRAILER_HEADER_SIZE));
  if (count === undefined) return undefined;
  const r = new ByteReader(bytes);
  r.need(at, virtioTrailerSize(count), `warden_virtio trailer of ${count} devices`);
  return Array.from({ length: count }, (_, i) => {
    const e = at + VIRTIO_TRAILER_HEADER_SIZE + i * ENTRY_SIZE;
    const field = bytes.subarray(e, e + NAME_SIZE);
    const nul = field.indexOf(0);
    if (nul <= 0)
      throw new DecodeError("WRD108", e, `warden_virtio device ${i}: the name is empty or not NUL-terminated`);
    const vectors = r.u32(e + NAME_SIZE + 8, "vectors");
    if (vectors < 1 || vectors > MAX_VECTORS)
      throw new DecodeError(
        "WRD108",
        e + NAME_SIZE + 8,
        `warden_virtio device ${i}: ${vectors} vectors (1..${MAX_VECTORS})`,
      );
    return {
      name: String.fromCharCode(...field.subarray(0, nul)),
      base: r.u64(e + NAME_SIZE, "base"),
      vectors,
    };
  });
}
