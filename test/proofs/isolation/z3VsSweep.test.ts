import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { disjointObligation, type Interval, solve, sweepOverlaps } from "../../../proofs/index.js";

const TOP = 1n << 64n;
const ref = { cell: "c", what: "r", file: "f" };

/** Intervals with planted overlaps, touching ends, zero sizes and ends at 2^64. */
const intervals = fc
  .array(
    fc.record({
      owner: fc.constantFrom("a", "b", "c"),
      start: fc.oneof(fc.bigInt({ min: 0n, max: 64n }), fc.constantFrom(0n, TOP - 16n, TOP - 1n)),
      size: fc.oneof(fc.bigInt({ min: 0n, max: 16n }), fc.constant(0n)),
      toTop: fc.boolean(),
    }),
    { maxLength: 12 },
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

describe("the Z3 disjointness obligation", () => {
  it("agrees with the exact sweep line on random interval sets", async () => {
    await fc.assert(
      fc.asyncProperty(intervals, async (xs) => {
        const { verdict } = await solve(disjointObligation("T", "test", xs).smt2);
        expect(verdict === "sat").toBe(sweepOverlaps(xs).length > 0);
      }),
      { numRuns: 60 },
    );
  });

  it("agrees part by part when cut into parts, and a sat part's witness script names two owners' overlapping pieces", async () => {
    await fc.assert(
      fc.asyncProperty(intervals, fc.integer({ min: 1, max: 4 }), async (xs, chunk) => {
        const o = disjointObligation("T", "test", xs, chunk);
        let found: bigint | undefined;
        for (const p of o.parts) {
          if ((await solve(p.smt2)).verdict === "unsat") continue;
          const { verdict, output } = await solve(p.witness());
          expect(verdict).toBe("sat");
          const k = Number.parseInt(/#x([0-9a-f]+)/.exec(output)?.[1] ?? "", 16);
          const [a, b] = [o.pieces[k], o.pieces[k + 1]];
          expect(k >= p.first && k < p.first + chunk && a && b && a.owner !== b.owner).toBe(true);
          found ??= b?.start;
        }
        expect(found !== undefined).toBe(sweepOverlaps(xs).length > 0);
        if (found !== undefined) expect(xs.filter((i) => i.start <= found && found < i.end).length).toBeGreaterThan(1);
      }),
      { numRuns: 40 },
    );
  });

  it("proves touching ranges disjoint and finds an overlap at 2^64 - 1", async () => {
    const touching: Interval[] = [
      { owner: "a", start: 0n, end: 16n, ref },
      { owner: "b", start: 16n, end: 32n, ref },
    ];
    expect((await solve(disjointObligation("T", "t", touching).smt2)).verdict).toBe("unsat");
    const top: Interval[] = [
      { owner: "a", start: TOP - 8n, end: TOP, ref },
      { owner: "b", start: TOP - 1n, end: TOP, ref },
    ];
    expect((await solve(disjointObligation("T", "t", top).smt2)).verdict).toBe("sat");
    expect(sweepOverlaps(top)[0]?.at).toBe(TOP - 1n);
  });
});
