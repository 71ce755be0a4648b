/** Writes the typed model as revision-14 bytes, the format upstream's master reads. */
import { archCode, type CellConfig, type SystemConfig } from "../types.js";
import { ByteWriter } from "./ByteWriter.js";
import { cellSize, writeCell } from "./cellCodec.js";
import { REVISION, SIGNATURE_CELL, SIGNATURE_SYSTEM, SYSTEM_HEADER_SIZE } from "./layout.js";
import { writeSystem } from "./systemCodec.js";
import { encodeVirtioTrailer } from "./virtioTrailer.js";

/** A cell with `warden_virtio` devices gets Warden's trailer after the bytes upstream reads (virtioTrailer.ts). */
export function encodeCell(config: CellConfig): Uint8Array {
  const trailer = encodeVirtioTrailer(config.warden_virtio);
  const w = new ByteWriter(cellSize(config) + trailer.length);
  w.latin1(0, SIGNATURE_CELL);
  w.u8(5, archCode[config.arch]);
  w.u16(6, REVISION);
  writeCell(w, 0, config);
  w.bytes.set(trailer, cellSize(config));
  return w.bytes;
}

export function encodeSystem(config: SystemConfig): Uint8Array {
  const w = new ByteWriter(SYSTEM_HEADER_SIZE + cellSize(config.root_cell));
  w.latin1(0, SIGNATURE_SYSTEM);
  w.u8(5, archCode[config.arch]);
  w.u16(6, REVISION);
  writeSystem(w, config);
  return w.bytes;
}
