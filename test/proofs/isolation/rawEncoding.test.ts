/**
 * The raw-descriptor obligations: the address windows tile the range and hold every descriptor
 * that meets them, and the solver's answer over raw descriptors agrees with the sweep line on
 * random sets (the two are independent arguments; a disagreement is a finding).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Interval, overlapScript, solve, sweepOverlaps, windowsOf } from "../../../proofs/index.js";

const TOP = 1n << 64n;
const ref = { cell: "c", what: "r", file: "f" };

const intervals = (maxLength: number) =>
  fc
    .array(
      fc.record({
        owner: fc.constantFrom("a", "b", "c"),
        start: fc.oneof(fc.bigInt({ min: 0n, max: 64n }), fc.constantFrom(TOP - 16n, TOP - 1n)),
        size: fc.bigInt({ min: 0n, max: 16n }),
        toTop: fc.boolean(),
      }),
      { maxLength },
    )
    .map((xs) =>
      xs.map(
        (x): Interval => ({
          owner: x.owner,
          start: x.start,
          end: x.toTop && x.start > 32n ? TOP : x.start + x.size > TOP ? TOP : x.start + x.size,
          ref,
        }),
      ),
    );

const meets = (i: Interval, lo: bigint, hi: bigint | undefined) => i.end > lo && (hi === undefined || i.start < hi);

describe("address windows", () => {
  it("tile [0, ∞) and hold exactly the descriptors meeting them", () => {
    fc.assert(
      fc.property(intervals(30), fc.integer({ min: 1, max: 8 }), (xs, size) => {
        const live = xs.filter((i) => i.end > i.start);
        const ws = windowsOf(live, size);
        expect(ws.length === 0).toBe(live.length === 0);
        if (ws.length > 0) expect(ws[0]?.lo).toBe(0n);
        for (const [k, w] of ws.entries()) {
          expect(w.hi === undefined || w.hi > w.lo).toBe(true);
          if (k + 1 < ws.length) expect(ws[k + 1]?.lo).toBe(w.hi);
          else expect(w.hi).toBeUndefined();
          const expected = live.filter((i) => meets(i, w.lo, w.hi));
          expect(new Set(w.members)).toEqual(new Set(expected));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the raw-descriptor obligation", () => {
  it("agrees with the sweep line on random sets, window by window", async () => {
    await fc.assert(
      fc.asyncProperty(intervals(7), fc.integer({ min: 3, max: 6 }), async (xs, size) => {
        const live = xs.filter((i) => i.end > i.start);
        let sat = false;
        for (const w of windowsOf(live, size)) {
          if ((await solve(overlapScript("T", "t", "", w))).verdict === "sat") sat = true;
        }
        expect(sat).toBe(sweepOverlaps(live).length > 0);
      }),
      { numRuns: 15 },
    );
  });

  // Declarations may overlap each other and name different owner pairs: the sharing relation is
  // not transitive, so it cannot be resolved into owners in advance; both sides are given it.
  const declarations = fc.array(
    fc.record({
      start: fc.bigInt({ min: 0n, max: 64n }),
      size: fc.bigInt({ min: 1n, max: 24n }),
      cells: fc.subarray(["a", "b", "c"], { minLength: 2 }),
    }),
    { maxLength: 3 },
  );

  it("agrees with the sweep line under declared sharing", async () => {
    await fc.assert(
      fc.asyncProperty(intervals(6), declarations, fc.integer({ min: 3, max: 6 }), async (xs, ds, size) => {
        const declared = ds.map((d) => ({ start: d.start, end: d.start + d.size, cells: d.cells }));
        const live = xs.filter((i) => i.end > i.start);
        let sat = false;
        for (const w of windowsOf(live, size)) {
          if ((await solve(overlapScript("T", "t", "", w, declared))).verdict === "sat") sat = true;
        }
        expect(sat).toBe(sweepOverlaps(live, Number.POSITIVE_INFINITY, declared).length > 0);
      }),
      { numRuns: 15 },
    );
  });
});
