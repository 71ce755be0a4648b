/**
 * Owned half-open intervals [start, end) over 0..2^64 and the exact sweep-line search for two
 * intervals of different owners that intersect. Ends are bigints, so a range ending at 2^64 is
 * exact. Zero-size intervals never intersect anything.
 */
export interface Ref {
  readonly cell: string;
  /** What the interval came from, e.g. "memory region 3". */
  readonly what: string;
  readonly file: string;
  readonly byteOffset?: number;
  readonly field?: string;
}

export interface Interval {
  readonly start: bigint;
  readonly end: bigint;
  /** Intervals with equal owners may overlap; different owners may not. */
  readonly owner: string;
  readonly ref: Ref;
}

export interface Overlap {
  readonly a: Interval;
  readonly b: Interval;
  /** The lowest address both contain. */
  readonly at: bigint;
}

/** A declared sharing: owners named in `cells` may hold [start, end) together. */
export interface Declared {
  readonly start: bigint;
  readonly end: bigint;
  readonly cells: readonly string[];
}

/**
 * The lowest point of [lo, hi) that no declaration naming both owners covers, or undefined when
 * the declarations cover all of it.
 */
export function firstUndeclared(
  lo: bigint,
  hi: bigint,
  a: string,
  b: string,
  declared: readonly Declared[],
): bigint | undefined {
  const covering = declared.filter((d) => d.cells.includes(a) && d.cells.includes(b) && d.start < hi && lo < d.end);
  let x = lo;
  for (let moved = true; moved && x < hi; ) {
    moved = false;
    for (const d of covering) {
      if (d.start <= x && x < d.end) {
        x = d.end;
        moved = true;
      }
    }
  }
  return x < hi ? x : undefined;
}

/**
 * Every pair of intersecting intervals with different owners whose intersection is not wholly
 * declared shared (sweep over sorted starts); `at` is the lowest undeclared common point.
 */
export function sweepOverlaps(
  intervals: readonly Interval[],
  limit = Number.POSITIVE_INFINITY,
  declared: readonly Declared[] = [],
): Overlap[] {
  const sorted = intervals
    .filter((i) => i.end > i.start)
    .sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const found: Overlap[] = [];
  let active: Interval[] = [];
  for (const cur of sorted) {
    active = active.filter((a) => a.end > cur.start);
    for (const a of active) {
      if (a.owner === cur.owner) continue;
      const at =
        declared.length === 0
          ? cur.start
          : firstUndeclared(cur.start, a.end < cur.end ? a.end : cur.end, a.owner, cur.owner, declared);
      if (at === undefined) continue;
      found.push({ a, b: cur, at });
      if (found.length >= limit) return found;
    }
    active.push(cur);
  }
  return found;
}

/** Whether `x` lies in `i`: used to re-validate every witness by direct evaluation. */
export const contains = (i: Interval, x: bigint): boolean => i.start <= x && x < i.end;

/**
 * The union of each owner's intervals, sorted by start: same-owner overlaps are allowed, so they
 * are merged away before the cross-owner obligation is stated. Each merged piece keeps the
 * intervals it was made of.
 */
export function mergeByOwner(
  intervals: readonly Interval[],
): { start: bigint; end: bigint; owner: string; parts: Interval[] }[] {
  const byOwner = new Map<string, Interval[]>();
  for (const i of intervals) {
    if (i.end <= i.start) continue;
    const list = byOwner.get(i.owner);
    // Appended in place: copying the list per insert made this quadratic in one owner's intervals.
    if (list) list.push(i);
    else byOwner.set(i.owner, [i]);
  }
  const merged: { start: bigint; end: bigint; owner: string; parts: Interval[] }[] = [];
  for (const [owner, list] of byOwner) {
    list.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
    let cur: { start: bigint; end: bigint; owner: string; parts: Interval[] } | undefined;
    for (const i of list) {
      if (cur && i.start < cur.end) {
        if (i.end > cur.end) cur.end = i.end;
        cur.parts.push(i);
      } else {
        cur = { start: i.start, end: i.end, owner, parts: [i] };
        merged.push(cur);
      }
    }
  }
  return merged.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.owner.localeCompare(y.owner)));
}
