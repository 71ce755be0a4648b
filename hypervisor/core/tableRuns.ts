/**
 * One page table's entries as runs (see `PageTableRun`): look one entry up, clear a range of
 * entries, put a run. Runs stay sorted and maximal, so equal tables have equal run lists and a
 * deep comparison of two states sees the entries, not the history that wrote them. `size` is the
 * number of frames one entry of this table maps (1 at the last level, 512 one level up, …): a leaf
 * run continues another when its frame follows the other's last block.
 */
import type { PageTableEntry, PageTableRun } from "./state.js";

/** The entry at `index`, as a single entry. */
export function entryAt(runs: readonly PageTableRun[], index: number, size: number): PageTableEntry | undefined {
  for (const r of runs) {
    if (index < r.index) return undefined;
    if (index < r.index + r.count) {
      return r.kind === "table"
        ? { kind: "table", table: r.table }
        : { kind: "leaf", frame: r.frame + (index - r.index) * size, flags: r.flags };
    }
  }
  return undefined;
}

/** Removes the entries [from, to), cutting runs that straddle either end. */
export function clearEntries(runs: PageTableRun[], from: number, to: number, size: number): void {
  let i = 0;
  while (i < runs.length && (runs[i] as PageTableRun).index + (runs[i] as PageTableRun).count <= from) i++;
  const kept: PageTableRun[] = [];
  let j = i;
  for (; j < runs.length && (runs[j] as PageTableRun).index < to; j++) {
    const r = runs[j] as PageTableRun;
    if (r.index < from) kept.push(cut(r, r.index, from, size));
    if (r.index + r.count > to) kept.push(cut(r, to, r.index + r.count, size));
  }
  if (j > i || kept.length > 0) runs.splice(i, j - i, ...kept);
}

/** Writes `run` over whatever its entries held, joining neighbouring leaf runs it continues. */
export function putRun(runs: PageTableRun[], run: PageTableRun, size: number): void {
  clearEntries(runs, run.index, run.index + run.count, size);
  let at = 0;
  while (at < runs.length && (runs[at] as PageTableRun).index < run.index) at++;
  let joined = run;
  const before = runs[at - 1];
  if (before?.kind === "leaf" && continues(before, joined, size)) {
    joined = { ...before, count: before.count + joined.count };
    at--;
    runs.splice(at, 1);
  }
  const after = runs[at];
  if (joined.kind === "leaf" && after && continues(joined, after, size)) {
    joined = { ...joined, count: joined.count + after.count };
    runs.splice(at, 1);
  }
  runs.splice(at, 0, joined);
}

/** Whether leaf run `b` starts where leaf run `a` ends, with the next block and the same flags. */
function continues(a: PageTableRun, b: PageTableRun, size: number): boolean {
  return (
    a.kind === "leaf" &&
    b.kind === "leaf" &&
    a.index + a.count === b.index &&
    a.frame + a.count * size === b.frame &&
    a.flags === b.flags
  );
}

/** The part [from, to) of run `r` (a table run is never cut: it has one entry). */
function cut(r: PageTableRun, from: number, to: number, size: number): PageTableRun {
  if (r.kind === "table") return r;
  return { kind: "leaf", index: from, count: to - from, frame: r.frame + (from - r.index) * size, flags: r.flags };
}
