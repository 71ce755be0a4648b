/**
 * ARM MMU-500 stream matching (arch/arm64/smmu.c): each stream ID of a cell's configuration is a
 * (id, mask) pair — low 16 bits id, high 16 bits the ignored bits. Looking for an entry, the first
 * valid entry that fully covers the pair is reused — and narrowed to it, re-targeted to the new
 * cell, whoever held it — while any other overlap is -EINVAL; else the first free entry is taken
 * (none free: -EINVAL). At destroy an entry returns to the root cell if the root's configuration
 * lists the same stream ID, else it is cleared. Without an MMU-500 the IDs are only recorded.
 */
import { iommuTypes } from "../../config/flags.js";
import {
  type CellState,
  type Core,
  HypervisorError,
  nonRootCells,
  rootCell,
  type StreamMatch,
} from "../../core/index.js";

/** Stream match registers per SMMU (MMU-500 implements up to 128; Warden models 16). */
export const SMR_COUNT = 16;
const ID_BITS = 0x7fff;

type Pair = { readonly id: number; readonly mask: number };
const split = (raw: number): Pair => ({ id: raw & ID_BITS, mask: (raw >>> 16) & ID_BITS });
const covers = (e: Pair, n: Pair) => (n.mask & ~e.mask) === 0 && ((n.id ^ e.id) & ~e.mask) === 0;
const overlaps = (e: Pair, n: Pair) => ((n.id ^ e.id) & ~(n.mask | e.mask)) === 0;

/** `arm_smmu_find_sme`: the entry to use for `n`, in upstream's scan order. */
function findEntry(table: readonly (StreamMatch | null)[], n: Pair): number {
  let free = -1;
  for (let i = 0; i < table.length; i++) {
    const e = table[i];
    if (!e) {
      if (free < 0) free = i;
      continue;
    }
    if (covers(e, n)) return i;
    if (overlaps(e, n)) throw new HypervisorError("EINVAL");
  }
  if (free < 0) throw new HypervisorError("EINVAL");
  return free;
}

const hasMmu500 = (core: Core) => core.s.system.platform.iommu_units.some((u) => u.type === iommuTypes.ARM_MMU500);

export const smmuUnit = {
  name: "smmu",
  cellInit(core: Core, cell: CellState): void {
    if (!hasMmu500(core)) {
      for (const raw of cell.config.stream_ids) cell.streams.add(raw);
      return;
    }
    const table = core.s.streamMatches;
    if (table.length === 0) table.push(...Array<StreamMatch | null>(SMR_COUNT).fill(null));
    const tableBefore = table.map((e) => (e ? { ...e } : null));
    const held = core.s.cells.map((c) => new Set(c.streams));
    try {
      for (const raw of cell.config.stream_ids) {
        const n = split(raw);
        const i = findEntry(table, n);
        const previous = table[i]?.cell;
        table[i] = { ...n, cell: cell.id };
        // The previous holder loses every stream ID of its own the narrowed entry no longer routes to it.
        const loser = core.s.cells.find((c) => c.id === previous && c !== cell);
        for (const r of loser ? [...loser.streams] : []) if (overlaps(n, split(r))) loser?.streams.delete(r);
        cell.streams.add(raw);
      }
    } catch (error) {
      table.splice(0, table.length, ...tableBefore);
      core.s.cells.forEach((c, k) => {
        c.streams = held[k] as Set<number>;
      });
      cell.streams.clear();
      throw error;
    }
  },
  cellExit(core: Core, cell: CellState): void {
    const table = core.s.streamMatches;
    const root = rootCell(core);
    for (const raw of cell.config.stream_ids) {
      const n = split(raw);
      const i = table.findIndex((e) => e !== null && e.cell === cell.id && covers(e, n));
      if (i < 0) continue;
      if (root.config.stream_ids.includes(raw)) {
        (table[i] as StreamMatch).cell = root.id;
        root.streams.add(raw);
      } else table[i] = null;
    }
    cell.streams.clear();
  },
};

export function streamConflict(core: Core, cell: CellState): string | undefined {
  for (const other of nonRootCells(core)) {
    if (other === cell) continue;
    for (const raw of cell.config.stream_ids) {
      const clash = [...other.streams].find((s) => overlaps(split(raw), split(s)));
      if (clash !== undefined) return `stream ID 0x${raw.toString(16)} overlaps "${other.name}"`;
    }
  }
  return undefined;
}
