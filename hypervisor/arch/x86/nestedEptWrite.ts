/**
 * A trapped write to a write-protected page (the seed's "Nested EPT" slide): a page no known EPT
 * uses is unprotected and written; otherwise every valid EPT the new entry would break is
 * declared invalid and the CPUs running on it are kicked out of their nested guests *before*
 * the write executes, so no nested guest ever runs on an EPT that maps beyond the cell.
 */
import { type CellState, type Core, type GuestOutcome, translate, writePhysInt } from "../../core/index.js";
import { checkEptEntry, type EptLevel, type EptRegion } from "./nestedEptEntry.js";
import { kickRunners } from "./nestedEptKick.js";
import { cellEptRegions, readEntry } from "./nestedEptRegions.js";
import { unprotectPage } from "./nestedEptTracking.js";
import { eptPointerOf, validateEpt } from "./nestedEptValidate.js";
import { trackers, type VmxCell } from "./vmxState.js";

const PAGE = 4096n;

/** The entry at `slot` after `width` bytes of `value` land at `addr` (little-endian). */
function merged(old: bigint, slot: bigint, addr: bigint, width: number, value: bigint): bigint {
  let v = old;
  for (let i = 0; i < width; i++) {
    const at = addr + BigInt(i) - slot;
    if (at < 0n || at > 7n) continue;
    const shift = at * 8n;
    v = (v & ~(0xffn << shift)) | (((value >> BigInt(8 * i)) & 0xffn) << shift);
  }
  return v;
}

/**
 * Whether the EPT rooted at `root` stays valid with `next` in place of `old` at `slot` (a table
 * page it uses at `level`): a new table pointer needs a walk with tracking (VM entry does it), so
 * it makes the EPT invalid; otherwise the EPT is walked again with the write applied, so a write
 * to a table page the EPT no longer reaches breaks nothing.
 */
function keepsValid(core: Core, cell: CellState, w: Written, root: bigint, level: EptLevel): boolean {
  const now = checkEptEntry(w.next, level, w.regions);
  const before = checkEptEntry(w.old, level, w.regions);
  if (now.kind === "table" && !(before.kind === "table" && before.address === now.address)) return false;
  const read = (a: bigint) => (a === w.slot ? w.next : readEntry(core, cell, a));
  return validateEpt(eptPointerOf(root), w.regions, read).ok;
}

interface Written {
  readonly slot: bigint;
  readonly old: bigint;
  readonly next: bigint;
  readonly regions: readonly EptRegion[];
}

/** Handles a write to a page the hypervisor protected; undefined if it protected no such page. */
export function nestedWriteFault(
  core: Core,
  cell: CellState,
  vc: VmxCell,
  addr: bigint,
  width: number,
  value: bigint,
): GuestOutcome | undefined {
  const gfn = Number(addr / PAGE);
  if (!vc.protectedPages.has(gfn) || (addr % PAGE) + BigInt(width) > PAGE) return undefined;
  const page = BigInt(gfn) * PAGE;
  const users = trackers(vc, page);
  if (users.length === 0) unprotectPage(core, cell, vc, gfn);
  else {
    const regions = cellEptRegions(core, cell, vc);
    for (let slot = addr & ~7n; slot < addr + BigInt(width); slot += 8n) {
      const old = readEntry(core, cell, slot);
      const w: Written = { slot, old, next: merged(old, slot, addr, width, value), regions };
      for (const root of users) {
        const ept = vc.epts.get(root);
        const level = ept?.tables.get(page) as EptLevel;
        if (ept?.valid && !keepsValid(core, cell, w, root, level)) {
          ept.valid = false;
          kickRunners(core, cell, root, "kicked: a write broke its EPT");
        }
      }
    }
  }
  const t = translate(core.s, core.arch.paging, cell.pageTable, gfn);
  if (!t) return { kind: "fatal", reason: `write to 0x${addr.toString(16)}: the page left the cell` };
  writePhysInt(core.s, BigInt(t.frame) * PAGE + (addr % PAGE), width, value);
  return { kind: "ok" };
}
