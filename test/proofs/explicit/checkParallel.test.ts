/**
 * `--workers N` must not change anything but speed: verdict, property, distinct/generated counts,
 * depth and the counterexample (lasso included) are those of one worker, on registry models
 * (holding and violated, safety and liveness) and on random counter models with violations,
 * deadlocks and evaluation errors in guards and invariants (in the initial state too: cap -1).
 * The one-worker prefix is cut short (`sequentialStates` 0 to 40) so that threads run even on
 * these small state spaces, and most runs take heads last first (`adversarial`), so that later
 * heads reach states before earlier ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkModel, checkModelParallel, resolveModels } from "../../../proofs/index.js";
import { counters, doublingModel, essence, type Fault, shrinkModel } from "../../builders/verdictModels.js";

describe("checkModelParallel", () => {
  const registry: [string, Record<string, string>][] = [
    ["DieHard", {}],
    ["Peterson", { bug: "true" }],
    ["TwoPhase", { rms: "4" }],
    ["ManagementVote", {}],
    ["VirtioMsi", { bug: "pending" }],
    ["ResourceOwnership", { bug: "true" }],
  ];

  for (const [name, params] of registry) {
    it(`agrees with one worker on ${name} ${JSON.stringify(params)}: verdict, counts, depth, counterexample`, async () => {
      const [r] = resolveModels([name], params);
      if (!r) throw new Error(`no model ${name}`);
      const one = essence(checkModel(r.model));
      // Threads from the first level, and taking over from a one-worker prefix of 1 and of 40
      // states. A small first table: the threads grow it (and fill the new one together) several times.
      for (const sequentialStates of [0, 1, 40]) {
        const options = { workers: 2, sequentialStates, adversarial: true, tableSlots: 64 };
        const parallel = await checkModelParallel(r.model, options);
        expect(essence(parallel), `sequentialStates ${sequentialStates}`).toEqual(one);
        expect(parallel.stats.bytesPerState).toBeGreaterThan(0);
      }
    });
  }

  it("agrees with one worker on random counter models with violations, deadlocks and evaluation errors", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: -1, max: 12 }),
        fc.constantFrom<Fault>("none", "guard", "invariant"),
        fc.boolean(),
        fc.constantFrom(2, 3),
        fc.boolean(),
        fc.constantFrom(64, 1 << 16),
        fc.constantFrom(0, 1, 7, 30),
        async (n, k, bound, cap, fault, deadlock, workers, adversarial, tableSlots, sequentialStates) => {
          const model = counters(n, k, bound, cap, fault, deadlock);
          const options = { workers, sequentialStates, adversarial, tableSlots };
          const parallel = await checkModelParallel(model, options);
          expect(essence(parallel)).toEqual(essence(checkModel(model)));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("keeps one worker's answer when a value leaves the flat layout (the search restarts unflattened)", async () => {
    const model = shrinkModel();
    const parallel = await checkModelParallel(model, { workers: 2, sequentialStates: 0 });
    expect(parallel).toMatchObject({ kind: "violated", property: "TypeOK" });
    expect(essence(parallel)).toEqual(essence(checkModel(model)));
  });

  it("keeps one worker's counts when value ids outgrow the two-byte arena (the search restarts wide)", async () => {
    // 80,001 states, each its own number: ids pass 65,535 in the threads' rounds.
    const model = doublingModel(40_000);
    const parallel = await checkModelParallel(model, { workers: 2, sequentialStates: 0 });
    expect(parallel.stats.distinctStates).toBe(80_001);
    expect(essence(parallel)).toEqual(essence(checkModel(model)));
  });

  it("goes on disk past --max-memory, in the one-worker prefix or in the threads, with one worker's counts", async () => {
    const [r] = resolveModels(["TwoPhase"], { rms: "6" });
    if (!r) throw new Error("no TwoPhase");
    const one = essence(checkModel(r.model));
    for (const sequentialStates of [0, 20_000]) {
      const spilled = await checkModelParallel(r.model, { workers: 2, sequentialStates, maxMemoryMiB: 0.25 });
      expect(essence(spilled), `sequentialStates ${sequentialStates}`).toEqual(one);
      expect(spilled.stats.diskBytes).toBeGreaterThan(0);
    }
  });

  it("agrees with one worker on memory its predecessor wrote (the shared buffers are kept between checks)", async () => {
    // The same model twice, first taken over from a one-worker prefix (which writes slots 0, 1,
    // 2, …), then from the first level: the second check's slots hold the first one's states
    // until written, and a table growing while the initial states are entered must not take
    // them for its own.
    const model = counters(3, 4, 2, 12, "none", false);
    const one = essence(checkModel(model));
    for (const sequentialStates of [7, 0]) {
      const parallel = await checkModelParallel(model, { workers: 2, sequentialStates, tableSlots: 64 });
      expect(essence(parallel), `sequentialStates ${sequentialStates}`).toEqual(one);
    }
  });

  it("stops at --max-states in the one-worker prefix with one worker's answer, to the state", async () => {
    const [r] = resolveModels(["TwoPhase"], { rms: "4" });
    if (!r) throw new Error("no TwoPhase");
    const one = checkModel(r.model, { maxStates: 100 });
    expect(one).toMatchObject({ kind: "incomplete" });
    expect(essence(await checkModelParallel(r.model, { workers: 2, maxStates: 100 }))).toEqual(essence(one));
  });

  it("runs checks back to back when one ends before its threads have compiled the model", async () => {
    // The first check asks for the threads at 50,000 states (half its hand-over) and finishes the
    // model's 50,816 states alone without yielding, so their reply to its setup arrives after it
    // has ended. The second uses the threads from its first level: it must neither take that late
    // reply for the answer to its own setup nor its own reply for a round's report.
    const [r] = resolveModels(["TwoPhase"], { rms: "6" });
    if (!r) throw new Error("no TwoPhase");
    const one = essence(checkModel(r.model));
    for (let i = 0; i < 3; i++) {
      expect(essence(await checkModelParallel(r.model, { workers: 2, sequentialStates: 100_000 }))).toEqual(one);
      expect(essence(await checkModelParallel(r.model, { workers: 2, sequentialStates: 0 }))).toEqual(one);
    }
  });
});
