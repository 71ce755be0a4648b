import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { and, apply, lit, lt, range } from "../../../models/index.js";
import { checkModel } from "../../../proofs/index.js";
import { counterModel, counterSum, shrinkModel } from "../../builders/verdictModels.js";

/** N counters modulo K; counter i may tick when it is below a bound b[i]; the sum is bounded by `cap`. */
function counters(n: number, k: number, bounds: readonly number[], cap: number) {
  return counterModel(n, k, {
    guard: (x) => and(...bounds.map((b, j) => (j < n ? lt(apply(x, j), b + 1) : lit(true)))),
    invariants: (x) => ({
      Capped: { doc: "test", p: lt(counterSum(x, n), cap + 1) },
      Dummy: { doc: "always true", p: apply(x, 0).in(range(0, k - 1)) },
    }),
    deadlock: false,
  });
}

/** A naive reference search over JSON-keyed states: slow, obviously correct. */
function reference(n: number, k: number, bounds: readonly number[], cap: number) {
  const start = JSON.stringify(new Array(n).fill(0));
  const seen = new Set([start]);
  const queue = [start];
  let violation = false;
  for (let h = 0; h < queue.length; h++) {
    const x = JSON.parse(queue[h] as string) as number[];
    if (x.reduce((a, b) => a + b, 0) > cap) violation = true;
    if (!bounds.every((b, j) => j >= n || (x[j] as number) <= b)) continue;
    for (let i = 0; i < n; i++) {
      const y = x.slice();
      y[i] = ((y[i] as number) + 1) % k;
      const key = JSON.stringify(y);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(key);
      }
    }
  }
  return { distinct: seen.size, violation };
}

describe("checkModel", () => {
  it("finds exactly the states a naive search finds, and the same verdict", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 12 }),
        (n, k, bounds, cap) => {
          const ref = reference(n, k, bounds, cap);
          const v = checkModel(counters(n, k, bounds, cap));
          expect(v.kind === "violated").toBe(ref.violation);
          if (!ref.violation) expect(v.stats.distinctStates).toBe(ref.distinct);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reports a function leaving its domain as a TypeOK violation (flat slots cannot hold it)", () => {
    const model = shrinkModel();
    const verdict = checkModel(model);
    expect(verdict.kind).toBe("violated");
    if (verdict.kind !== "violated") return;
    expect(verdict.property).toBe("TypeOK");
    expect(verdict.stats.distinctStates).toBe(3);
    expect(verdict.trace.steps.map((s) => s.action)).toEqual(["Init", "Tick", "Shrink"]);
  });

  it("stops with an incomplete verdict at --max-states", () => {
    const v = checkModel(counters(3, 4, [4, 4, 4], 100), { maxStates: 5 });
    expect(v.kind).toBe("incomplete");
  });

  it("stops with an incomplete verdict naming the memory bound when its tables exceed it and spilling is off", () => {
    const v = checkModel(counters(3, 4, [4, 4, 4], 100), { maxMemoryMiB: 0.01, spill: false });
    expect(v).toMatchObject({ kind: "incomplete", reason: "memory bound of 0.01 MiB reached" });
    expect(checkModel(counters(3, 4, [4, 4, 4], 100), { maxMemoryMiB: 64 }).kind).toBe("holds");
  });

  it("reports progress: distinct states, queue and states per second", () => {
    const reports: { distinct: number; queue: number; perSecond: number }[] = [];
    const v = checkModel(counters(3, 4, [4, 4, 4], 100), { onProgress: (p) => reports.push(p), progressEveryMs: 0 });
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) {
      expect(r.distinct).toBeGreaterThan(0);
      expect(r.distinct).toBeLessThanOrEqual(v.stats.distinctStates);
      expect(r.queue).toBeGreaterThan(0);
      expect(Number.isFinite(r.perSecond)).toBe(true);
    }
  });
});
