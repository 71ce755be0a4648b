/**
 * What a change of configuration adds to or removes from each cell's reachable surface (the
 * NEMU table): cells matched by name, lines compared as `file:line`.
 */
import type { SurfaceReport } from "./tsSurface.js";

export interface SurfaceDelta {
  readonly cell: string;
  /** Which configuration the other side is (a file name). */
  readonly against: string;
  readonly lines: number;
  readonly otherLines: number;
  /** Code lines this configuration reaches and the other does not. */
  readonly removedByOther: number;
  readonly addedByOther: number;
  readonly entriesRemoved: readonly string[];
  readonly entriesAdded: readonly string[];
}

/** Per cell present in both reports: what going from `base` to `other` removes and adds. */
export function surfaceDiff(base: SurfaceReport, other: SurfaceReport, against: string): SurfaceDelta[] {
  return base.cells.flatMap((c) => {
    const o = other.cells.find((x) => x.cell === c.cell);
    if (!o) return [];
    const mine = new Set(c.lineKeys);
    const theirs = new Set(o.lineKeys);
    const names = (s: typeof c) => new Set(s.entries.filter((e) => !e.refused).map((e) => e.name));
    const [a, b] = [names(c), names(o)];
    return [
      {
        cell: c.cell,
        against,
        lines: c.lines,
        otherLines: o.lines,
        removedByOther: [...mine].filter((k) => !theirs.has(k)).length,
        addedByOther: [...theirs].filter((k) => !mine.has(k)).length,
        entriesRemoved: [...a].filter((n) => !b.has(n)),
        entriesAdded: [...b].filter((n) => !a.has(n)),
      },
    ];
  });
}
