/**
 * Past `--max-memory` the search continues with its queue and fingerprint set on disk and must
 * end exactly as the unbounded in-memory search: verdict, counts, depth, counterexample, on a
 * state space several times larger than the bound and on random models with violations,
 * deadlocks and evaluation errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  and,
  apply,
  constFn,
  defineModel,
  div,
  type Ex,
  except,
  type Fn,
  fnSet,
  lit,
  lt,
  minus,
  mod,
  plus,
  range,
  type SetT,
  withParams,
} from "../../../models/index.js";
import { checkModel, resolveModels, type Verdict } from "../../../proofs/index.js";

function essence(v: Verdict) {
  const { distinctStates, generatedStates, depth } = v.stats;
  return {
    kind: v.kind,
    counts: [distinctStates, generatedStates, depth],
    ...(v.kind === "violated" ? { property: v.property, message: v.message, trace: v.trace } : {}),
  };
}

type Fault = "none" | "guard" | "invariant";

/** N counters modulo K ticking below `bound`; Capped bounds the sum (or fails to evaluate, `fault`). */
function counters(n: number, k: number, bound: number, cap: number, fault: Fault, deadlock: boolean) {
  const procs = { kind: "set" as const, elems: Array.from({ length: n }, (_, i) => i) };
  const sum = (x: Ex<Fn<number, number>>): Ex<number> =>
    Array.from({ length: n }, (_, i) => apply(x, i)).reduce((a, b) => plus(a, b)) as Ex<number>;
  const failing = (x: Ex<Fn<number, number>>): Ex<boolean> => lt(div(1, minus(sum(x), cap + 1)), 100);
  return defineModel<{ x: Fn<number, number> }, { P: SetT<number> }>({
    name: "Counters",
    doc: "test model",
    header: "",
    constants: { P: { doc: "processes", value: procs } },
    variables: ({ c }) => ({ x: { doc: "counters", type: fnSet(c.P, range(0, k - 1)) } }),
    init: ({ c }) => ({ x: constFn(c.P, 0) }),
    actions: ({ v, c }) => ({
      Tick: withParams<{ x: Fn<number, number> }>([["i", c.P]], (i: Ex<number>) => ({
        doc: "counter i ticks",
        guard: and(lt(apply(v.x, i), bound), fault === "guard" ? failing(v.x) : lit(true)),
        update: { x: except(v.x, i, mod(plus(apply(v.x, i), 1), k)) },
      })),
    }),
    invariants: ({ v }) => ({
      Capped: { doc: "test", p: fault === "invariant" ? failing(v.x) : lt(sum(v.x), cap + 1) },
    }),
    checkDeadlock: deadlock,
  });
}

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
