/**
 * The cell's memory as the EPT validator sees it: the guest-physical runs its second-stage tables
 * map now (so memory another cell's create took is gone), with the rights the cell was given;
 * pages the hypervisor write-protected for tracking count with their original rights.
 */
import { type CellState, type Core, mappedRuns, pte, readGuest } from "../../core/index.js";
import type { EptRegion } from "./nestedEptEntry.js";
import type { VmxCell } from "./vmxState.js";

const PAGE = 4096n;

type Run = { gfn: number; count: number; flags: number };

const rights = (flags: number) => flags & (pte.READ | pte.WRITE | pte.EXECUTE);

/** Splits the runs so each protected page stands alone with its saved flags, then merges equal neighbours. */
function restoreProtected(runs: readonly Run[], saved: ReadonlyMap<number, number>): Run[] {
  const pieces: Run[] = [];
  for (const r of runs) {
    let from = r.gfn;
    const inside = [...saved.keys()].filter((g) => g >= r.gfn && g < r.gfn + r.count).sort((a, b) => a - b);
    for (const g of inside) {
      if (g > from) pieces.push({ gfn: from, count: g - from, flags: r.flags });
      pieces.push({ gfn: g, count: 1, flags: saved.get(g) as number });
      from = g + 1;
    }
    if (from < r.gfn + r.count) pieces.push({ gfn: from, count: r.gfn + r.count - from, flags: r.flags });
  }
  const merged: Run[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (last && last.gfn + last.count === p.gfn && rights(last.flags) === rights(p.flags)) last.count += p.count;
    else merged.push({ ...p });
  }
  return merged;
}

export function cellEptRegions(core: Core, cell: CellState, vc: VmxCell): EptRegion[] {
  const runs = mappedRuns(core.s, core.arch.paging, cell.pageTable);
  return restoreProtected(runs, vc.protectedPages).map((r) => ({
    start: BigInt(r.gfn) * PAGE,
    size: BigInt(r.count) * PAGE,
    read: (r.flags & pte.READ) !== 0,
    write: (r.flags & pte.WRITE) !== 0,
    execute: (r.flags & pte.EXECUTE) !== 0,
  }));
}

/** Reads one 64-bit EPT entry from the cell's memory (the validator only reads pages it checked are the cell's). */
export function readEntry(core: Core, cell: CellState, address: bigint): bigint {
  const b = readGuest(core, cell, address, 8);
  if (!b) return 0n;
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}
