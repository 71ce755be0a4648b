/**
 * The per-cell communication page (semantics.md §3.1): the first frame of the cell's structure,
 * mapped into the cell at its COMM_REGION address. Layout, ABI revision 2, little endian.
 */
import { cellFlags } from "../config/flags.js";
import type { Console } from "../config/types.js";
import type { Core } from "./context.js";
import { readPhysInt, writePhys, writePhysInt } from "./physicalMemory.js";
import type { CellState } from "./state.js";

export const COMM_REGION_ABI_REVISION = 2;
export const commOffsets = {
  signature: 0,
  revision: 6,
  cellState: 8,
  msgToCell: 12,
  replyFromCell: 16,
  flags: 20,
  console: 24,
  pciMmconfigBase: 56,
  platform: 64,
} as const;
export const commFlags = { DBG_PUTC_PERMITTED: 1, DBG_PUTC_ACTIVE: 2 } as const;

type Word = "cellState" | "msgToCell" | "replyFromCell";

/** Physical address of the cell's comm page; the root cell has none (its state reads as 0). */
export function commAddress(cell: CellState): bigint | undefined {
  const frame = cell.dataFrames[0];
  return frame === undefined ? undefined : BigInt(frame) * 4096n;
}

export function readComm(core: Core, cell: CellState, word: Word): number {
  const at = commAddress(cell);
  return at === undefined ? 0 : Number(readPhysInt(core.s, at + BigInt(commOffsets[word]), 4));
}

export function writeComm(core: Core, cell: CellState, word: Word, value: number): void {
  const at = commAddress(cell);
  if (at !== undefined) writePhysInt(core.s, at + BigInt(commOffsets[word]), 4, BigInt(value >>> 0));
}

/** CELL_START: zero the page, then signature, revision, flags, console, MMCONFIG base, platform block. */
export function initCommRegion(core: Core, cell: CellState): void {
  const at = commAddress(cell);
  if (at === undefined) return;
  writePhys(core.s, at, new Uint8Array(4096));
  writePhys(core.s, at, new TextEncoder().encode("JHCOMM"));
  writePhysInt(core.s, at + BigInt(commOffsets.revision), 2, BigInt(COMM_REGION_ABI_REVISION));
  const f = cell.config.flags >>> 0;
  const flags =
    (f & cellFlags.VIRTUAL_CONSOLE_PERMITTED ? commFlags.DBG_PUTC_PERMITTED : 0) |
    (f & cellFlags.VIRTUAL_CONSOLE_ACTIVE ? commFlags.DBG_PUTC_ACTIVE : 0);
  writePhysInt(core.s, at + BigInt(commOffsets.flags), 4, BigInt(flags));
  writePhys(core.s, at + BigInt(commOffsets.console), encodeConsole(cell.config.console));
  writePhysInt(core.s, at + BigInt(commOffsets.pciMmconfigBase), 8, core.s.system.platform.pci_mmconfig_base);
  writePhys(core.s, at + BigInt(commOffsets.platform), core.arch.commPlatform(core, cell));
}

function encodeConsole(c: Console): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, c.address, true);
  v.setUint32(8, c.size, true);
  v.setUint16(12, c.type, true);
  v.setUint16(14, c.flags, true);
  v.setUint32(16, c.divider, true);
  v.setUint32(20, c.gate_nr, true);
  v.setBigUint64(24, c.clock_reg, true);
  return b;
}
