import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PageTableEntry, PageTableRun } from "../../../hypervisor/core/state.js";
import { clearEntries, entryAt, putRun } from "../../../hypervisor/core/tableRuns.js";

/** Frames one entry maps at this table's level (2 MiB tables: 512 frames per entry). */
const SIZE = 512;

/** One write: leaves (aligned so that neighbours may continue each other), a table pointer, or a clear. */
const write = fc.oneof(
  fc.record({
    kind: fc.constant("leaf" as const),
    index: fc.nat({ max: 511 }),
    count: fc.integer({ min: 1, max: 64 }),
    base: fc.nat({ max: 8 }),
    flags: fc.nat({ max: 1 }),
  }),
  fc.record({ kind: fc.constant("table" as const), index: fc.nat({ max: 511 }), table: fc.nat({ max: 9 }) }),
  fc.record({
    kind: fc.constant("clear" as const),
    index: fc.nat({ max: 511 }),
    count: fc.integer({ min: 1, max: 64 }),
  }),
);

type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

/** The dense reference: one entry per index, as a table of 512 entries would hold them. */
function applyDense(dense: (PageTableEntry | undefined)[], w: Write): void {
  const end = Math.min(512, w.index + ("count" in w ? w.count : 1));
  for (let i = w.index; i < end; i++) {
    if (w.kind === "clear") dense[i] = undefined;
    else if (w.kind === "table") dense[i] = { kind: "table", table: w.table };
    else dense[i] = { kind: "leaf", frame: (w.base * 512 + i) * SIZE, flags: w.flags };
  }
}

function applyRuns(runs: PageTableRun[], w: Write): void {
  const count = Math.min(512 - w.index, "count" in w ? w.count : 1);
  if (w.kind === "clear") clearEntries(runs, w.index, w.index + count, SIZE);
  else if (w.kind === "table") putRun(runs, { kind: "table", index: w.index, count: 1, table: w.table }, SIZE);
  else
    putRun(runs, { kind: "leaf", index: w.index, count, frame: (w.base * 512 + w.index) * SIZE, flags: w.flags }, SIZE);
}

describe("page-table runs", () => {
  it("hold the entries a dense table holds, sorted, disjoint and maximal, after any writes", () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), (writes) => {
        const dense: (PageTableEntry | undefined)[] = new Array(512).fill(undefined);
        const runs: PageTableRun[] = [];
        for (const w of writes) {
          applyDense(dense, w);
          applyRuns(runs, w);
        }
        for (let i = 0; i < 512; i++) expect(entryAt(runs, i, SIZE)).toEqual(dense[i]);
        for (let k = 0; k < runs.length; k++) {
          const r = runs[k] as PageTableRun;
          expect(r.count).toBeGreaterThan(0);
          const prev = runs[k - 1];
          if (!prev) continue;
          expect(prev.index + prev.count).toBeLessThanOrEqual(r.index);
          // Maximal: a leaf run never continues the one before it (equal tables have equal runs).
          const continues =
            prev.kind === "leaf" &&
            r.kind === "leaf" &&
            prev.index + prev.count === r.index &&
            prev.frame + prev.count * SIZE === r.frame &&
            prev.flags === r.flags;
          expect(continues).toBe(false);
        }
      }),
    );
  });

  it("are the same for the same entries however they were written", () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 30 }), (writes) => {
        const runs: PageTableRun[] = [];
        for (const w of writes) applyRuns(runs, w);
        // The same entries written afresh, one entry at a time from index 0.
        const fresh: PageTableRun[] = [];
        for (let i = 0; i < 512; i++) {
          const e = entryAt(runs, i, SIZE);
          if (e?.kind === "table") putRun(fresh, { kind: "table", index: i, count: 1, table: e.table }, SIZE);
          else if (e) putRun(fresh, { kind: "leaf", index: i, count: 1, frame: e.frame, flags: e.flags }, SIZE);
        }
        expect(runs).toEqual(fresh);
      }),
    );
  });
});
