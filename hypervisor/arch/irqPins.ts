/**
 * Interrupt pins as both architectures hand them over: the new cell's pins leave root's set for
 * the same controller, and at destroy only the pins root's configuration had come back.
 */
import type { IrqChip } from "../config/types.js";
import { pinsOf } from "../config/yaml/index.js";
import { type CellState, type Core, nonRootCells, rootCell } from "../core/index.js";

export const chipKey = (address: bigint): string => `0x${address.toString(16)}`;

/** The pins a chip entry grants: `pin_base + 32·i + bit` for each set bit of word i. */
const pinsOfChip = (chip: IrqChip): number[] => pinsOf(chip.pin_base, chip.pin_bitmap);

export function takePins(core: Core, cell: CellState, chips: readonly IrqChip[]): void {
  const root = rootCell(core);
  for (const chip of chips) {
    const key = chipKey(chip.address);
    const mine = cell.pins.get(key) ?? new Set<number>();
    for (const pin of pinsOfChip(chip)) {
      if (cell !== root) root.pins.get(key)?.delete(pin);
      mine.add(pin);
    }
    cell.pins.set(key, mine);
  }
}

export function returnPins(core: Core, cell: CellState): void {
  const root = rootCell(core);
  for (const [key, pins] of cell.pins) {
    const original = new Set(
      root.config.irqchips.filter((c) => chipKey(c.address) === key).flatMap((c) => pinsOfChip(c)),
    );
    for (const pin of pins) {
      core.s.irqRoutes.delete(`${key}:${pin}`);
      if (original.has(pin)) {
        const set = root.pins.get(key) ?? new Set<number>();
        set.add(pin);
        root.pins.set(key, set);
      }
    }
  }
  cell.pins.clear();
}

/** Strict mode: a pin the new cell's chips name that another non-root cell holds. */
export function pinConflict(core: Core, cell: CellState, chips: readonly IrqChip[]): string | undefined {
  for (const other of nonRootCells(core)) {
    if (other === cell) continue;
    for (const chip of chips) {
      const theirs = other.pins.get(chipKey(chip.address));
      const clash = pinsOfChip(chip).find((p) => theirs?.has(p));
      if (clash !== undefined) return `pin ${clash} of ${chipKey(chip.address)} belongs to "${other.name}"`;
    }
  }
  return undefined;
}

/** Routing an interrupt pin: pins the cell does not own are ignored, as both architectures do. */
export function firstChip(cell: CellState): string | undefined {
  return [...cell.pins.keys()][0];
}

/** Masks (forgets the routes of) every pin of the cell, as `arch_cell_reset` does. */
export function maskPins(core: Core, cell: CellState): void {
  for (const [key, pins] of cell.pins) for (const pin of pins) core.s.irqRoutes.delete(`${key}:${pin}`);
}
