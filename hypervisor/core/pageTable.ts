/**
 * Multi-level second-stage page tables (x86 EPT/NPT, ARM stage 2) with 4 KiB leaves and 2 MiB /
 * 1 GiB huge pages, every table a frame from the page pool. Mapping a huge-page-aligned chunk over
 * a finer mapping releases the finer tables first, and unmapping part of a huge page splits it, as
 * upstream's `paging_create` / `paging_destroy` do; tables left empty are freed. Beyond upstream,
 * a table whose 512 entries come to form one contiguous run is merged back into a huge page, so
 * unmapping and remapping a range restores the page pool exactly (upstream keeps the split).
 * A table holds its entries as runs (`tableRuns.ts`): the layout and the frames are upstream's,
 * only the bookkeeping of 512 equal-stride leaves is one record.
 */

import { allocFrame, freeFrames } from "./pagePool.js";
import type { HypervisorState, PageTableEntry, PageTableRun } from "./state.js";
import { clearEntries, entryAt, putRun } from "./tableRuns.js";

/** Entry flag bits: access rights, plus a software bit marking declared sharing (ROOTSHARED). */
export const pte = { READ: 1, WRITE: 2, EXECUTE: 4, SHARED: 8 } as const;

export interface Paging {
  /** Number of table levels (4 on both architectures here: 48-bit guest-physical space). */
  readonly levels: number;
  /** Levels that may hold leaves above 4 KiB (1 = 2 MiB, 2 = 1 GiB). */
  readonly hugeLevels: readonly number[];
}

const ENTRIES = 512;

/**
 * Change stamps per hypervisor, outside its state (so deep copies and comparisons ignore them):
 * every function here that changes a table tree stamps the frame of its root (from one clock per
 * hypervisor), and `mappedLeaves` / `mappedRuns` reuse a walk of a root until its stamp moves or
 * the root's table object is replaced. A change to one cell's tables leaves the others' walks valid.
 */
const stamps = new WeakMap<HypervisorState, { clock: number; readonly roots: Map<number, number> }>();
function stamp(s: HypervisorState, root: number): void {
  const st = stamps.get(s) ?? { clock: 0, roots: new Map<number, number>() };
  stamps.set(s, st);
  st.roots.set(root, ++st.clock);
}
/** What is known of one root's tree at one stamp: its leaf runs, merged runs and table frames, each once asked for. */
interface Walk {
  readonly stamp: number;
  readonly table: PageTableRun[];
  /** The tables' leaf runs in guest-address order, each with the size of its entries. */
  readonly leafRuns?: readonly LeafRun[];
  readonly leaves?: readonly Leaf[];
  readonly runs?: readonly Leaf[];
  /** Frames of the tree's tables, root first. */
  readonly tables?: readonly number[];
}
const walks = new WeakMap<HypervisorState, Map<number, Walk>>();
const span = (level: number) => ENTRIES ** level;

export function newTable(s: HypervisorState): number {
  const frame = allocFrame(s);
  stamp(s, frame);
  s.tables.set(frame, []);
  return frame;
}

function tableOf(s: HypervisorState, frame: number): PageTableRun[] {
  const t = s.tables.get(frame);
  if (!t) throw new Error(`page table: frame 0x${frame.toString(16)} is not a table`);
  return t;
}

/** Maps `count` guest frames from `gfn` to host frames from `hfn`. May throw -ENOMEM midway. */
export function mapRange(
  s: HypervisorState,
  paging: Paging,
  root: number,
  gfn: number,
  hfn: number,
  count: number,
  flags: number,
  allowHuge: boolean,
): void {
  stamp(s, root);
  mapAt(s, paging, root, paging.levels - 1, gfn, hfn, count, flags, allowHuge);
}

function mapAt(
  s: HypervisorState,
  paging: Paging,
  table: number,
  level: number,
  gfn: number,
  hfn: number,
  count: number,
  flags: number,
  allowHuge: boolean,
): void {
  const runs = tableOf(s, table);
  const size = span(level);
  if (level === 0) {
    // The last level allocates nothing: its entries are written at once, as one run.
    const index = gfn % ENTRIES;
    putRun(runs, { kind: "leaf", index, count, frame: hfn, flags }, 1);
    return;
  }
  while (count > 0) {
    const index = Math.floor(gfn / size) % ENTRIES;
    const chunk = Math.min(count, size - (gfn % size));
    const existing = entryAt(runs, index, size);
    const hugeLevel = allowHuge && paging.hugeLevels.includes(level);
    if (hugeLevel && chunk === size && hfn % size === 0) {
      // Every whole block left in this table becomes a huge leaf: one run, the tables it replaces freed.
      const n = Math.min(Math.floor(count / size), ENTRIES - index);
      for (const r of runs.filter((r) => r.kind === "table" && r.index >= index && r.index < index + n))
        if (r.kind === "table") destroyTable(s, r.table);
      putRun(runs, { kind: "leaf", index, count: n, frame: hfn, flags }, size);
      gfn += n * size;
      hfn += n * size;
      count -= n * size;
      continue;
    }
    const next = existing?.kind === "table" ? existing.table : childFor(s, runs, index, level, existing);
    mapAt(s, paging, next, level - 1, gfn, hfn, chunk, flags, allowHuge);
    if (hugeLevel) mergeIfContiguous(s, runs, index, level, next);
    gfn += chunk;
    hfn += chunk;
    count -= chunk;
  }
}

/** Replaces a full table of contiguous, equally-flagged, aligned leaves by one huge leaf. */
function mergeIfContiguous(
  s: HypervisorState,
  runs: PageTableRun[],
  index: number,
  level: number,
  child: number,
): void {
  const lower = span(level - 1);
  const table = tableOf(s, child);
  const first = table[0];
  if (first?.kind !== "leaf" || first.index !== 0 || first.frame % span(level) !== 0) return;
  let next = 0;
  for (const r of table) {
    if (r.kind !== "leaf" || r.index !== next || r.flags !== first.flags) return;
    if (r.frame !== first.frame + r.index * lower) return;
    next += r.count;
  }
  if (next !== ENTRIES) return;
  freeFrames(s, [child]);
  putRun(runs, { kind: "leaf", index, count: 1, frame: first.frame, flags: first.flags }, span(level));
}

/** A new next-level table for `index`: empty, or the split of the huge leaf that was there. */
function childFor(
  s: HypervisorState,
  runs: PageTableRun[],
  index: number,
  level: number,
  existing: PageTableEntry | undefined,
): number {
  const child = newTable(s);
  if (existing?.kind === "leaf")
    tableOf(s, child).push({ kind: "leaf", index: 0, count: ENTRIES, frame: existing.frame, flags: existing.flags });
  putRun(runs, { kind: "table", index, count: 1, table: child }, span(level));
  return child;
}

/** Unmaps `count` guest frames from `gfn`, splitting huge pages cut at the edges (may throw -ENOMEM). */
export function unmapRange(s: HypervisorState, paging: Paging, root: number, gfn: number, count: number): void {
  stamp(s, root);
  unmapAt(s, root, paging.levels - 1, gfn, count);
}

function unmapAt(s: HypervisorState, table: number, level: number, gfn: number, count: number): void {
  const runs = tableOf(s, table);
  const size = span(level);
  if (level === 0) {
    const index = gfn % ENTRIES;
    clearEntries(runs, index, index + count, 1);
    return;
  }
  while (count > 0) {
    const index = Math.floor(gfn / size) % ENTRIES;
    const chunk = Math.min(count, size - (gfn % size));
    const existing = entryAt(runs, index, size);
    if (existing && chunk === size) {
      if (existing.kind === "table") destroyTable(s, existing.table);
      clearEntries(runs, index, index + 1, size);
    } else if (existing) {
      const next = existing.kind === "table" ? existing.table : childFor(s, runs, index, level, existing);
      unmapAt(s, next, level - 1, gfn, chunk);
      if (tableOf(s, next).length === 0) {
        freeFrames(s, [next]);
        clearEntries(runs, index, index + 1, size);
      }
    }
    gfn += chunk;
    count -= chunk;
  }
}

/** Frees a table and every table below it. */
export function destroyTable(s: HypervisorState, table: number): void {
  stamp(s, table);
  for (const r of tableOf(s, table)) if (r.kind === "table") destroyTable(s, r.table);
  freeFrames(s, [table]);
}

export interface Translation {
  readonly frame: number;
  readonly flags: number;
}

/** The host frame and flags a guest frame maps to, if any. */
export function translate(s: HypervisorState, paging: Paging, root: number, gfn: number): Translation | undefined {
  let table = root;
  for (let level = paging.levels - 1; level >= 0; level--) {
    const size = span(level);
    const e = entryAt(tableOf(s, table), Math.floor(gfn / size) % ENTRIES, size);
    if (!e) return undefined;
    if (e.kind === "leaf") return { frame: e.frame + (gfn % size), flags: e.flags };
    table = e.table;
  }
  return undefined;
}

export interface Leaf {
  readonly gfn: number;
  readonly frame: number;
  readonly count: number;
  readonly flags: number;
}

/** Consecutive leaves of one table: `count` frames from `gfn` → `frame`, in entries of `size` frames each. */
export interface LeafRun extends Leaf {
  readonly size: number;
}

/** Every leaf of a table tree, in guest-address order, plus the number of table frames (walked afresh). */
export function walkTables(s: HypervisorState, paging: Paging, root: number): { leaves: Leaf[]; tables: number } {
  const leaves: Leaf[] = [];
  let tables = 0;
  visitLeaves(
    s,
    paging,
    root,
    () => tables++,
    (r) => {
      for (let k = 0; k < r.count; k += r.size)
        leaves.push({ gfn: r.gfn + k, frame: r.frame + k, count: r.size, flags: r.flags });
    },
  );
  return { leaves, tables };
}

/** Calls `leaf` for every leaf run in guest-address order (and `table` for every table), without building a list. */
function visitLeaves(
  s: HypervisorState,
  paging: Paging,
  root: number,
  table: (frame: number) => void,
  leaf: (run: LeafRun) => void,
): void {
  const visit = (frame: number, level: number, base: number) => {
    table(frame);
    const size = span(level);
    for (const r of tableOf(s, frame)) {
      const gfn = base + r.index * size;
      if (r.kind === "table") visit(r.table, level - 1, gfn);
      else leaf({ gfn, frame: r.frame, count: r.count * size, flags: r.flags, size });
    }
  };
  visit(root, paging.levels - 1, 0);
}

/** Drops every walk remembered for this hypervisor: the next asks walk afresh. */
export function forgetWalks(s: HypervisorState): void {
  walks.delete(s);
}

function cachedWalk(s: HypervisorState, root: number): Walk | undefined {
  const stamped = stamps.get(s)?.roots.get(root) ?? 0;
  const hit = walks.get(s)?.get(root);
  return hit && hit.stamp === stamped && hit.table === s.tables.get(root) ? hit : undefined;
}

function remember(s: HypervisorState, root: number, walk: Omit<Walk, "stamp" | "table">): Walk {
  const cache = walks.get(s) ?? new Map<number, Walk>();
  walks.set(s, cache);
  const entry = { ...walk, stamp: stamps.get(s)?.roots.get(root) ?? 0, table: tableOf(s, root) };
  cache.set(root, entry);
  return entry;
}

/** The leaf runs of every table of the tree and the tables' frames, walked once per stamp. */
function walked(s: HypervisorState, paging: Paging, root: number): Walk {
  const hit = cachedWalk(s, root);
  if (hit?.leafRuns) return hit;
  const leafRuns: LeafRun[] = [];
  const tables: number[] = [];
  visitLeaves(
    s,
    paging,
    root,
    (frame) => tables.push(frame),
    (r) => leafRuns.push(Object.freeze(r)),
  );
  return remember(s, root, { leafRuns: Object.freeze(leafRuns), tables: Object.freeze(tables) });
}

/** The leaves of each table grouped in runs of equal-sized entries (see `LeafRun`), reused until the tree changes. */
export function mappedLeafRuns(s: HypervisorState, paging: Paging, root: number): readonly LeafRun[] {
  return walked(s, paging, root).leafRuns ?? [];
}

/** `walkTables(…).leaves`, reused until the tree changes: the caller must not modify it. */
export function mappedLeaves(s: HypervisorState, paging: Paging, root: number): readonly Leaf[] {
  const walk = walked(s, paging, root);
  if (walk.leaves) return walk.leaves;
  const leaves: Leaf[] = [];
  for (const r of walk.leafRuns ?? [])
    for (let k = 0; k < r.count; k += r.size)
      leaves.push(Object.freeze({ gfn: r.gfn + k, frame: r.frame + k, count: r.size, flags: r.flags }));
  remember(s, root, { ...walk, leaves: Object.freeze(leaves) });
  return leaves;
}

/**
 * The leaves with runs of contiguous guest and host frames and equal flags merged: what a walk
 * means, compactly, reused until the tree changes.
 */
export function mappedRuns(s: HypervisorState, paging: Paging, root: number): readonly Leaf[] {
  const walk = walked(s, paging, root);
  if (walk.runs) return walk.runs;
  const runs: Leaf[] = [];
  let last: { gfn: number; frame: number; count: number; flags: number } | undefined;
  for (const r of walk.leafRuns ?? []) {
    if (last && last.gfn + last.count === r.gfn && last.frame + last.count === r.frame && last.flags === r.flags) {
      last.count += r.count;
    } else {
      last = { gfn: r.gfn, frame: r.frame, count: r.count, flags: r.flags };
      runs.push(last);
    }
  }
  const frozen = Object.freeze(runs.map((r) => Object.freeze(r)));
  remember(s, root, { ...walk, runs: frozen });
  return frozen;
}

/** The frames of every table in the tree (each table entry followed, at any level), reused until the tree changes. */
export function tableFrames(s: HypervisorState, paging: Paging, root: number): readonly number[] {
  return walked(s, paging, root).tables ?? [];
}
