/**
 * Multi-level second-stage page tables (x86 EPT/NPT, ARM stage 2) with 4 KiB leaves and 2 MiB /
 * 1 GiB huge pages, every table a frame from the page pool. Mapping a huge-page-aligned chunk over
 * a finer mapping releases the finer tables first, and unmapping part of a huge page splits it, as
 * upstream's `paging_create` / `paging_destroy` do; tables left empty are freed. Beyond upstream,
 * a table whose 512 entries come to form one contiguous run is merged back into a huge page, so
 * unmapping and remapping a range restores the page pool exactly (upstream keeps the split).
 */

import { allocFrame, freeFrames } from "./pagePool.js";
import type { HypervisorState, PageTableEntry } from "./state.js";

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
/** What is known of one root's tree at one stamp: its raw leaves and its merged runs, each once asked for. */
interface Walk {
  readonly stamp: number;
  readonly table: Map<number, PageTableEntry>;
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
  s.tables.set(frame, new Map());
  return frame;
}

function tableOf(s: HypervisorState, frame: number): Map<number, PageTableEntry> {
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
  const entries = tableOf(s, table);
  const size = span(level);
  while (count > 0) {
    const index = Math.floor(gfn / size) % ENTRIES;
    const chunk = Math.min(count, size - (gfn % size));
    const existing = entries.get(index);
    const huge = level === 0 || (allowHuge && paging.hugeLevels.includes(level));
    if (huge && chunk === size && hfn % size === 0) {
      if (existing?.kind === "table") destroyTable(s, existing.table);
      entries.set(index, { kind: "leaf", frame: hfn, flags });
    } else {
      const next = existing?.kind === "table" ? existing.table : childFor(s, entries, index, level, existing);
      mapAt(s, paging, next, level - 1, gfn, hfn, chunk, flags, allowHuge);
      if (allowHuge && paging.hugeLevels.includes(level)) mergeIfContiguous(s, entries, index, level, next);
    }
    gfn += chunk;
    hfn += chunk;
    count -= chunk;
  }
}

/** Replaces a full table of contiguous, equally-flagged, aligned leaves by one huge leaf. */
function mergeIfContiguous(
  s: HypervisorState,
  entries: Map<number, PageTableEntry>,
  index: number,
  level: number,
  child: number,
): void {
  const table = tableOf(s, child);
  const first = table.get(0);
  if (table.size !== ENTRIES || first?.kind !== "leaf" || first.frame % span(level) !== 0) return;
  const lower = span(level - 1);
  for (let i = 1; i < ENTRIES; i++) {
    const e = table.get(i);
    if (e?.kind !== "leaf" || e.frame !== first.frame + i * lower || e.flags !== first.flags) return;
  }
  freeFrames(s, [child]);
  entries.set(index, { kind: "leaf", frame: first.frame, flags: first.flags });
}

/** A new next-level table for `index`: empty, or the split of the huge leaf that was there. */
function childFor(
  s: HypervisorState,
  entries: Map<number, PageTableEntry>,
  index: number,
  level: number,
  existing: PageTableEntry | undefined,
): number {
  const child = newTable(s);
  if (existing?.kind === "leaf") {
    const lower = span(level - 1);
    const split = tableOf(s, child);
    for (let i = 0; i < ENTRIES; i++)
      split.set(i, { kind: "leaf", frame: existing.frame + i * lower, flags: existing.flags });
  }
  entries.set(index, { kind: "table", table: child });
  return child;
}

/** Unmaps `count` guest frames from `gfn`, splitting huge pages cut at the edges (may throw -ENOMEM). */
export function unmapRange(s: HypervisorState, paging: Paging, root: number, gfn: number, count: number): void {
  stamp(s, root);
  unmapAt(s, root, paging.levels - 1, gfn, count);
}

function unmapAt(s: HypervisorState, table: number, level: number, gfn: number, count: number): void {
  const entries = tableOf(s, table);
  const size = span(level);
  while (count > 0) {
    const index = Math.floor(gfn / size) % ENTRIES;
    const chunk = Math.min(count, size - (gfn % size));
    const existing = entries.get(index);
    if (existing && chunk === size) {
      if (existing.kind === "table") destroyTable(s, existing.table);
      entries.delete(index);
    } else if (existing) {
      const next = existing.kind === "table" ? existing.table : childFor(s, entries, index, level, existing);
      unmapAt(s, next, level - 1, gfn, chunk);
      if (tableOf(s, next).size === 0) {
        freeFrames(s, [next]);
        entries.delete(index);
      }
    }
    gfn += chunk;
    count -= chunk;
  }
}

/** Frees a table and every table below it. */
export function destroyTable(s: HypervisorState, table: number): void {
  stamp(s, table);
  for (const e of tableOf(s, table).values()) if (e.kind === "table") destroyTable(s, e.table);
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
    const e = tableOf(s, table).get(Math.floor(gfn / size) % ENTRIES);
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

/** Every leaf of a table tree, in guest-address order, plus the number of table frames (walked afresh). */
export function walkTables(s: HypervisorState, paging: Paging, root: number): { leaves: Leaf[]; tables: number } {
  const leaves: Leaf[] = [];
  let tables = 0;
  visitLeaves(
    s,
    paging,
    root,
    () => tables++,
    (gfn, e, count) => {
      leaves.push({ gfn, frame: e.frame, count, flags: e.flags });
    },
  );
  return { leaves, tables };
}

/** Calls `leaf` for every leaf in guest-address order (and `table` for every table), without building a list. */
function visitLeaves(
  s: HypervisorState,
  paging: Paging,
  root: number,
  table: (frame: number) => void,
  leaf: (gfn: number, e: Extract<PageTableEntry, { kind: "leaf" }>, count: number) => void,
): void {
  const visit = (frame: number, level: number, base: number) => {
    table(frame);
    const entries = tableOf(s, frame);
    const size = span(level);
    const at = (index: number, e: PageTableEntry) => {
      if (e.kind === "table") visit(e.table, level - 1, base + index * size);
      else leaf(base + index * size, e, size);
    };
    // A well-filled table is read in index order directly; a sparse one sorts its few entries.
    if (entries.size > 64) {
      for (let index = 0; index < ENTRIES; index++) {
        const e = entries.get(index);
        if (e) at(index, e);
      }
    } else for (const [index, e] of [...entries.entries()].sort((a, b) => a[0] - b[0])) at(index, e);
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

/** `walkTables(…).leaves`, reused until the tree changes: the caller must not modify it. */
export function mappedLeaves(s: HypervisorState, paging: Paging, root: number): readonly Leaf[] {
  const hit = cachedWalk(s, root);
  if (hit?.leaves) return hit.leaves;
  const leaves = Object.freeze(walkTables(s, paging, root).leaves);
  remember(s, root, { ...hit, leaves });
  return leaves;
}

/**
 * The leaves with runs of contiguous guest and host frames and equal flags merged: what a walk
 * means, compactly. Merged while walking (no list of every 4 KiB leaf) and reused until the tree changes.
 */
export function mappedRuns(s: HypervisorState, paging: Paging, root: number): readonly Leaf[] {
  const hit = cachedWalk(s, root);
  if (hit?.runs) return hit.runs;
  const runs: { gfn: number; frame: number; count: number; flags: number }[] = [];
  const tables: number[] = [];
  let last: (typeof runs)[number] | undefined;
  visitLeaves(
    s,
    paging,
    root,
    (frame) => tables.push(frame),
    (gfn, e, count) => {
      if (last && last.gfn + last.count === gfn && last.frame + last.count === e.frame && last.flags === e.flags) {
        last.count += count;
      } else {
        last = { gfn, frame: e.frame, count, flags: e.flags };
        runs.push(last);
      }
    },
  );
  const frozen = Object.freeze(runs.map((r) => Object.freeze(r)));
  remember(s, root, { ...hit, runs: frozen, tables: Object.freeze(tables) });
  return frozen;
}

/** The frames of every table in the tree (each table entry followed, at any level), reused until the tree changes. */
export function tableFrames(s: HypervisorState, paging: Paging, root: number): readonly number[] {
  const hit = cachedWalk(s, root);
  if (hit?.tables) return hit.tables;
  mappedRuns(s, paging, root);
  return cachedWalk(s, root)?.tables ?? [];
}
