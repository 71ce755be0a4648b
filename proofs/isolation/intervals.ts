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
  // Sorting an already sorted list (proveRule sorts once for every consumer) costs one pass.
  const sorted = intervals.filter((i) => i.end > i.start).sort(byStart);
  const found: Overlap[] = [];
  const active: Interval[] = [];
  for (const cur of sorted) {
    // Expired intervals dropped in place, in order: a new array per interval was most of the sweep's time.
    let kept = 0;
    for (const a of active) if (a.end > cur.start) active[kept++] = a;
    active.length = kept;
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
export function mergeByOwner(intervals: readonly Interval[]): Piece[] {
  const merged: Piece[] = [];
  // One pass in start order (stable, so an owner's intervals keep their order on equal starts),
  // each owner's open piece looked up by name: pieces are made in start order, so the final sort
  // only breaks ties between owners. A list per owner, sorted one by one, cost 100,000 sorts
  // when every region is its own owner.
  const open = new Map<string, Piece>();
  for (const i of intervals.filter((x) => x.end > x.start).sort(byStart)) {
    const cur = open.get(i.owner);
    if (cur && i.start < cur.end) {
      if (i.end > cur.end) cur.end = i.end;
      cur.parts.push(i);
    } else {
      const piece = { start: i.start, end: i.end, owner: i.owner, parts: [i] };
      open.set(i.owner, piece);
      merged.push(piece);
    }
  }
  return merged.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.owner.localeCompare(y.owner)));
}

/** One owner's union of overlapping intervals, with the intervals it was made of. */
export interface Piece {
  start: bigint;
  end: bigint;
  readonly owner: string;
  readonly parts: Interval[];
}

/** Ascending start; `Array.prototype.sort` is stable, so equal starts keep their order. */
export const byStart = (x: Interval, y: Interval): number => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0);
