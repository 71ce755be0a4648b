/**
 * ARM MMU-500 stream matching (arch/arm64/smmu.c): each stream ID of a cell's configuration is a
 * (id, mask) pair — low 16 bits id, high 16 bits the ignored bits. An existing entry that fully
 * covers it is reused and re-targeted (even if another cell owns it); a partial overlap or a full
 * table is -EINVAL. Without an MMU-500 the IDs are only recorded.
 */
import { iommuTypes } from "../../config/flags.js";
import { type CellState, type Core, HypervisorError, nonRootCells, type StreamMatch } from "../../core/index.js";

/** Stream match registers per SMMU (MMU-500 implements up to 128; Warden models 16). */
export const SMR_COUNT = 16;
const ID_BITS = 0x7fff;

const split = (raw: number) => ({ id: raw & ID_BITS, mask: (raw >>> 16) & ID_BITS });

function covers(e: StreamMatch, n: { id: number; mask: number }): boolean {
  return (n.mask & ~e.mask) === 0 && ((n.id ^ e.id) & ~e.mask) === 0;
}
function overlaps(e: StreamMatch, n: { id: number; mask: number }): boolean {
  return ((n.id ^ e.id) & ~(n.mask | e.mask)) === 0;
}

function hasMmu500(core: Core): boolean {
  return core.s.system.platform.iommu_units.some((u) => u.type === iommuTypes.ARM_MMU500);
}

export const smmuUnit = {
  name: "smmu",
  cellInit(core: Core, cell: CellState): void {
    if (!hasMmu500(core)) {
      for (const raw of cell.config.stream_ids) cell.streams.add(raw);
      return;
    }
    const table = core.s.streamMatches;
    if (table.length === 0) table.push(...Array<StreamMatch | null>(SMR_COUNT).fill(null));
    const before = table.map((e) => (e ? { ...e } : null));
    try {
      for (const raw of cell.config.stream_ids) {
        const n = split(raw);
        const covering = table.find((e) => e !== null && covers(e, n));
        if (covering) covering.cell = cell.id;
        else {
          if (table.some((e) => e !== null && overlaps(e, n))) throw new HypervisorError("EINVAL");
          const free = table.indexOf(null);
          if (free < 0) throw new HypervisorError("EINVAL");
          table[free] = { ...n, cell: cell.id };
        }
        cell.streams.add(raw);
      }
    } catch (error) {
      table.splice(0, table.length, ...before);
      cell.streams.clear();
      throw error;
    }
  },
  cellExit(core: Core, cell: CellState): void {
    const table = core.s.streamMatches;
    for (let i = 0; i < table.length; i++) if (table[i]?.cell === cell.id) table[i] = null;
    cell.streams.clear();
  },
};

export function streamConflict(core: Core, cell: CellState): string | undefined {
  for (const other of nonRootCells(core)) {
    if (other === cell) continue;
    for (const raw of cell.config.stream_ids) {
      const n = split(raw);
      const clash = [...other.streams].find((s) => {
        const o = split(s);
        return ((n.id ^ o.id) & ~(n.mask | o.mask)) === 0;
      });
      if (clash !== undefined) return `stream ID 0x${raw.toString(16)} overlaps "${other.name}"`;
    }
  }
  return undefined;
}
