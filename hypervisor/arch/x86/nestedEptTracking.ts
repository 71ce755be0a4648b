/**
 * Write tracking of known EPTs through the cell's second-stage tables: a table page of a valid
 * EPT is mapped without write permission, so KVM's writes to it trap; protection is dropped
 * lazily, when a trapped write finds the page used by no known EPT.
 */
import { type CellState, type Core, mapRange, pte, translate } from "../../core/index.js";
import { cellEptRegions, readEntry } from "./nestedEptRegions.js";
import { validateEpt } from "./nestedEptValidate.js";
import type { VmxCell } from "./vmxState.js";

const PAGE = 4096n;

/** Removes write permission from the page at `address` in the cell's tables, remembering its flags. */
export function protectPage(core: Core, cell: CellState, vc: VmxCell, address: bigint): void {
  const gfn = Number(address / PAGE);
  if (vc.protectedPages.has(gfn)) return;
  const t = translate(core.s, core.arch.paging, cell.pageTable, gfn);
  // A page the cell cannot write needs no trap: a write to it is a violation anyway.
  if (!t || (t.flags & pte.WRITE) === 0) return;
  vc.protectedPages.set(gfn, t.flags);
  mapRange(core.s, core.arch.paging, cell.pageTable, gfn, t.frame, 1, t.flags & ~pte.WRITE, false);
}

/** Gives the page its original flags back (the tables merge it into a large page again where they can). */
export function unprotectPage(core: Core, cell: CellState, vc: VmxCell, gfn: number): void {
  const flags = vc.protectedPages.get(gfn);
  if (flags === undefined) return;
  vc.protectedPages.delete(gfn);
  const t = translate(core.s, core.arch.paging, cell.pageTable, gfn);
  if (t) mapRange(core.s, core.arch.paging, cell.pageTable, gfn, t.frame, 1, flags, true);
}

/**
 * The full validation walk of the EPT `eptp` names over the cell's current memory; a valid EPT
 * is noted with its table pages, each of them write-protected. Returns why it is refused, if it is.
 */
export function validateAndTrack(
  core: Core,
  cell: CellState,
  vc: VmxCell,
  eptp: bigint,
  root: bigint,
): string | undefined {
  const v = validateEpt(eptp, cellEptRegions(core, cell, vc), (a) => readEntry(core, cell, a));
  if (!v.ok) {
    const known = vc.epts.get(root);
    if (known) known.valid = false;
    else vc.epts.set(root, { valid: false, tables: new Map() });
    return v.reason;
  }
  // Pages tracked before stay tracked (until INVEPT forgets the EPT): a table the EPT dropped may come back.
  const tables = new Map(vc.epts.get(root)?.tables);
  for (const [page, level] of v.levels) tables.set(page, level);
  vc.epts.set(root, { valid: true, tables });
  for (const page of v.tables) protectPage(core, cell, vc, page);
  return undefined;
}
