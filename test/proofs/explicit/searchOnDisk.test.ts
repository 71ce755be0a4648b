/**
 * Past `--max-memory` the search continues with its queue and fingerprint set on disk and must
 * end exactly as the unbounded in-memory search: verdict, counts, depth, counterexample, on a
 * state space several times larger than the bound and on random models with violations,
 * deadlocks and evaluation errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkModel, resolveModels } from "../../../proofs/index.js";
import { counters, essence, type Fault } from "../../builders/verdictModels.js";

describe("searchOnDisk", () => {
  it("completes a state space four times larger than --max-memory with the unbounded run's counts", () => {
    const [r] = resolveModels(["TwoPhase"], { rms: "6" });
    if (!r) throw new Error("no TwoPhase");
    const unbounded = checkModel(r.model);
    const limitMiB = 0.25;
    expect(unbounded.stats.memoryBytes).toBeGreaterThanOrEqual(4 * limitMiB * 2 ** 20);
    const progress: { memoryMiB?: number; diskMiB?: number }[] = [];
    const spilled = checkModel(r.model, {
      maxMemoryMiB: limitMiB,
      onProgress: (p) => progress.push(p),
      progressEveryMs: 1,
    });
    expect(essence(spilled)).toEqual(essence(unbounded));
    expect(spilled.stats.diskBytes).toBeGreaterThan(0);
    // The compiled model's memos stay in memory; the states and fingerprints went to disk.
    expect(spilled.stats.memoryBytes).toBeLessThan((unbounded.stats.memoryBytes ?? 0) / 4);
    expect(progress.some((p) => (p.diskMiB ?? 0) > 0 && p.memoryMiB !== undefined)).toBe(true);
  });

  it("ends as the in-memory search on random models: violations, deadlocks, evaluation errors", () => {
    // A search that ends while expanding its first state never reaches the first memory check.
    let spilledRuns = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<Fault>("none", "guard", "invariant"),
        fc.boolean(),
        (n, k, bound, cap, fault, deadlock) => {
          const model = counters(n, k, bound, cap, fault, deadlock);
          const spilled = checkModel(model, { maxMemoryMiB: 0.001 });
          if (spilled.stats.diskBytes !== undefined) spilledRuns++;
          expect(essence(spilled)).toEqual(essence(checkModel(model)));
        },
      ),
      // Three counters wrapping modulo 5: 125 states, most met again levels later (in the disk runs).
      { numRuns: 25, examples: [[3, 5, 5, 100, "none", false]] },
    );
    expect(spilledRuns).toBeGreaterThan(12);
  });

  it("still stops incomplete when the run needs the state graph (temporal properties)", () => {
    const [r] = resolveModels(["Peterson"], {});
    if (!r) throw new Error("no Peterson");
    expect(checkModel(r.model, { maxMemoryMiB: 0.001 })).toMatchObject({ kind: "incomplete" });
  });
});
