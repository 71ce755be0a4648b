/**
 * Reading a cell descriptor the way the hypervisor does in CELL_CREATE: from guest memory, with no
 * signature, revision or architecture check (only the driver checks those).
 */
import type { Arch, CellConfig } from "../types.js";
import { ByteReader } from "./ByteReader.js";
import { readCell } from "./cellCodec.js";
import { CELL_DESC_SIZE, cellArrays, cellDesc } from "./layout.js";

/** Bytes as characters, one per byte (WHATWG latin1 maps every byte to its own character). */
const latin1 = new TextDecoder("latin1");

/** Bytes of the descriptor itself; enough to learn the name, id and total size. */
export const CELL_DESCRIPTOR_SIZE = CELL_DESC_SIZE;

/** `jailhouse_cell_config_size`: descriptor plus arrays, from the counts in the first 132 bytes. */
export function cellDescriptorTotalSize(header: Uint8Array): number {
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  let size = CELL_DESC_SIZE + v.getUint32(cellDesc.cpuSetSize, true);
  for (const a of cellArrays) size += v.getUint32(a.countAt, true) * a.size;
  return size;
}

/** Name (up to the first NUL of the 32-byte field) and id of a descriptor. */
export function cellDescriptorIdentity(header: Uint8Array): { name: string; id: number } {
  const field = header.subarray(cellDesc.name, cellDesc.name + cellDesc.nameSize);
  const nul = field.indexOf(0);
  const name = latin1.decode(nul < 0 ? field : field.subarray(0, nul));
  return { name, id: new DataView(header.buffer, header.byteOffset).getUint32(cellDesc.id, true) };
}

/**
 * Configurations already read, by architecture and bytes: a root driver creates the same few cells
 * over and over. Each is frozen, so sharing one between cells (and hypervisors) cannot leak a change.
 */
const known = new Map<string, CellConfig>();
const KNOWN_LIMIT = 256;

/** The whole configuration, which the caller has sized with `cellDescriptorTotalSize` (frozen: read it, never change it). */
export function readCellAt(bytes: Uint8Array, arch: Arch): CellConfig {
  const key = `${arch}:${latin1.decode(bytes)}`;
  const hit = known.get(key);
  if (hit) return hit;
  const config = deepFreeze(readCell(new ByteReader(bytes), 0, arch, "<guest memory>", []).config);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(key, config);
  return config;
}

/** Freezes `v` and every object and array in it (byte arrays cannot be frozen: none of the core's code writes them). */
function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || Object.isFrozen(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}
