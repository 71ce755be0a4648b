/**
 * x86 I/O port permissions (arch/x86/vcpu.c): a whitelist of (base, length) ranges becomes a
 * per-cell bitmap; the new cell's ports leave root's bitmap, and at destroy root gets back only
 * the ports its own whitelist named. PM-timer ports are always permitted, the i8042 command port
 * 0x64 is always intercepted.
 */
import type { PioRange } from "../../config/types.js";
import { type CellState, type Core, nonRootCells, rootCell } from "../../core/index.js";

export const I8042_COMMAND_PORT = 0x64;

const set = (bits: Uint8Array, port: number, on: boolean) => {
  const i = port >> 3;
  bits[i] = on ? (bits[i] as number) | (1 << (port & 7)) : (bits[i] as number) & ~(1 << (port & 7));
};
export const permitted = (bits: Uint8Array, port: number): boolean =>
  (((bits[port >> 3] as number) >> (port & 7)) & 1) === 1;

function* ports(ranges: readonly PioRange[]): Generator<number> {
  for (const r of ranges) for (let p = r.base; p < Math.min(r.base + r.length, 0x10000); p++) yield p;
}

export function grantPorts(core: Core, cell: CellState): void {
  const root = rootCell(core);
  for (const p of ports(cell.config.pio_regions)) {
    set(cell.pio, p, true);
    if (cell !== root) set(root.pio, p, false);
  }
}

export function refundPorts(core: Core, cell: CellState): void {
  const root = rootCell(core);
  const original = new Set(ports(root.config.pio_regions));
  for (const p of ports(cell.config.pio_regions)) if (original.has(p)) set(root.pio, p, true);
  cell.pio.fill(0);
}

export function portConflict(core: Core, cell: CellState): string | undefined {
  for (const other of nonRootCells(core)) {
    if (other === cell) continue;
    for (const p of ports(cell.config.pio_regions)) {
      if (permitted(other.pio, p)) return `I/O port 0x${p.toString(16)} belongs to "${other.name}"`;
    }
  }
  return undefined;
}
