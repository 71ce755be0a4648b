/**
 * `--workers N` must not change anything but speed: verdict, property, distinct/generated counts,
 * depth and the counterexample (lasso included) are those of one worker, on registry models
 * (holding and violated, safety and liveness) and on random counter models with violations,
 * deadlocks and evaluation errors in guards and invariants. The one-worker prefix is turned off
 * (`sequentialStates: 0`) so that threads run even on these small state spaces, and most runs
 * take heads last first (`adversarial`), so that later heads reach states before earlier ones.
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
import { checkModel, checkModelParallel, resolveModels, type Verdict } from "../../../proofs/index.js";

/** What must agree: everything but the time and the memory figures. */
function essence(v: Verdict) {
  const { distinctStates, generatedStates, depth } = v.stats;
  return {
    kind: v.kind,
    counts: [distinctStates, generatedStates, depth],
    ...(v.kind === "violated" ? { property: v.property, message: v.message, trace: v.trace } : {}),
    ...(v.kind === "incomplete" ? { reason: v.reason } : {}),
  };
}

type Fault = "none" | "guard" | "invariant";

/** N counters modulo K, each ticking while the guard allows; the sum is bounded by `cap`. */
function counters(n: number, k: number, bound: number, cap: number, fault: Fault, deadlock: boolean) {
  const procs = { kind: "set" as const, elems: Array.from({ length: n }, (_, i) => i) };
  const sum = (x: Ex<Fn<number, number>>): Ex<number> =>
    Array.from({ length: n }, (_, i) => apply(x, i)).reduce((a, b) => plus(a, b)) as Ex<number>;
  // 1 \div (s - cap - 1) fails exactly when the sum reaches cap + 1.
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
      // A small first table: the threads grow it (and fill the new one together) several times.
      const options = { workers: 2, sequentialStates: 0, adversarial: true, tableSlots: 64 };
      const parallel = await checkModelParallel(r.model, options);
      expect(essence(parallel)).toEqual(essence(checkModel(r.model)));
      expect(parallel.stats.bytesPerState).toBeGreaterThan(0);
    });
  }

  it("agrees with one worker on random counter models with violations, deadlocks and evaluation errors", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<Fault>("none", "guard", "invariant"),
        fc.boolean(),
        fc.constantFrom(2, 3),
        fc.boolean(),
        fc.constantFrom(64, 1 << 16),
        async (n, k, bound, cap, fault, deadlock, workers, adversarial, tableSlots) => {
          const model = counters(n, k, bound, cap, fault, deadlock);
          const parallel = await checkModelParallel(model, { workers, sequentialStates: 0, adversarial, tableSlots });
          expect(essence(parallel)).toEqual(essence(checkModel(model)));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("keeps one worker's answer when a value leaves the flat layout (the search restarts unflattened)", async () => {
    type V = { x: Fn<number, number> };
    const model = defineModel<V, { P: SetT<number>; Q: SetT<number> }>({
      name: "Shrink",
      doc: "test model",
      header: "",
      constants: {
        P: { doc: "domain", value: { kind: "set", elems: [0, 1] } },
        Q: { doc: "smaller domain", value: { kind: "set", elems: [0] } },
      },
      variables: ({ c }) => ({ x: { doc: "a function", type: fnSet(c.P, range(0, 1)) } }),
      init: ({ c }) => ({ x: constFn(c.P, 0) }),
      actions: ({ v, c }) => ({
        Tick: { doc: "one entry", guard: apply(v.x, 0).eq(0), update: { x: except(v.x, 1, 1) } },
        Shrink: { doc: "loses an argument", guard: apply(v.x, 1).eq(1), update: { x: constFn(c.Q, 0) } },
      }),
      checkDeadlock: false,
    });
    const parallel = await checkModelParallel(model, { workers: 2, sequentialStates: 0 });
    expect(parallel).toMatchObject({ kind: "violated", property: "TypeOK" });
    expect(essence(parallel)).toEqual(essence(checkModel(model)));
  });
});
