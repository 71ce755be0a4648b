/** Writes the typed model as revision-14 bytes, the format upstream's master reads. */
import { archCode, type CellConfig, type SystemConfig } from "../types.js";
import { ByteWriter } from "./ByteWriter.js";
import { cellSize, writeCell } from "./cellCodec.js";
import { REVISION, SIGNATURE_CELL, SIGNATURE_SYSTEM, SYSTEM_HEADER_SIZE } from "./layout.js";
import { writeSystem } from "./systemCodec.js";

export function encodeCell(config: CellConfig): Uint8Array {
  const w = new ByteWriter(cellSize(config));
  w.latin1(0, SIGNATURE_CELL);
  w.u8(5, archCode[config.arch]);
  w.u16(6, REVISION);
  writeCell(w, 0, config);
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
