import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findModel, type Model, setOf, type Value } from "../../../models/index.js";
import { checkModel } from "../../../proofs/explicit/index.js";
import {
  explicitEnabled,
  explicitHolds,
  ModelEncoding,
  proveModel,
  smtEvaluate,
} from "../../../proofs/induction/index.js";
import { explicitStep, instance } from "../../../proofs/induction/revalidate.js";
import type { Shape } from "../../../proofs/induction/shape.js";

const build = (name: string, params: Record<string, string> = {}): Model => {
  const entry = findModel(name);
  if (!entry) throw new Error(name);
  return entry.build(params);
};

const byName = (proof: Awaited<ReturnType<typeof proveModel>>) =>
  Object.fromEntries(proof.predicates.map((p) => [p.name, p.status === "inductiveWithLemmas" ? p.lemmas : p.status]));

describe("re-validation", () => {
  it("refuses a pair of states that is not a step of the action", () => {
    const model = build("DieHard");
    const fill = instance(model, "FillBig", []);
    expect(explicitStep(model, [0, 0], [0, 5], fill)).toMatchObject({ ok: true, label: "FillBig" });
    expect(explicitStep(model, [0, 0], [0, 4], fill).ok).toBe(false);
    expect(explicitStep(model, [0, 0], [3, 0], fill).ok).toBe(false);
  });
});

describe("induction", () => {
  it("gives TwoPhase's Consistent a counterexample to induction that the checker confirms", async () => {
    const model = build("TwoPhase", { rms: "3" });
    const proof = await proveModel(model);
    const consistent = proof.predicates.find((p) => p.name === "Consistent");
    expect(consistent?.status).toBe("notInductive");
    const cti = consistent?.ctiAlone;
    expect(cti).toBeDefined();
    if (!cti) return;
    const p = model.invariants[0]?.p;
    if (!p) throw new Error("TwoPhase has no invariant");
    const pred = { name: "Consistent", kind: "invariant" as const, p };
    expect(explicitHolds(model, cti.from, pred)).toBe(true);
    expect(explicitHolds(model, cti.to, pred)).toBe(false);
    expect(explicitHolds(model, cti.to, { name: "TypeOK", kind: "type" })).toBe(true);
    expect(cti.action).toMatch(/^(RMRcvCommitMsg|RMRcvAbortMsg|RMChooseToAbort|TMCommit|TMAbort|RMPrepare)/);
  }, 60_000);

  it("proves the ownership invariants in strict mode, naming the strengthening lemmas", async () => {
    const proof = await proveModel(build("ResourceOwnership", { mode: "strict" }));
    expect(byName(proof)).toEqual({
      TypeOK: "inductive",
      CpuOwnedByOneCell: "inductive",
      NoUndeclaredSharing: "inductive",
      RootRegainsItsOwn: ["RootOriginalHeld", "HoldersExist"],
      RootNeverGainsForeign: "inductive",
      RootIsolated: ["NoUndeclaredSharing"],
      RootOriginalHeld: "inductive",
      HeldOnlyAsConfigured: "inductive",
      HoldersExist: "inductive",
    });
  }, 60_000);

  it("proves the lifecycle invariants; TypeOK needs the cell count", async () => {
    const proof = await proveModel(build("CellLifecycle"));
    expect(byName(proof)).toEqual({
      TypeOK: ["CellCountConsistent"],
      CellCountConsistent: "inductive",
      DisableOnlyWhenAlone: ["CellCountConsistent"],
      LockedCellBlocksReconfig: "inductive",
      RootIsNeverATarget: "inductive",
      NoFreeze: "inductive",
    });
  }, 60_000);

  it("reports upstream ownership's broken invariants as not inductive, with checker-confirmed CTIs", async () => {
    const model = build("ResourceOwnership");
    const proof = await proveModel(model);
    const failing = proof.predicates.filter((p) => p.status === "notInductive").map((p) => p.name);
    expect(failing).toEqual(["NoUndeclaredSharing", "RootIsolated"]);
    for (const p of proof.predicates.filter((x) => x.status === "notInductive")) {
      const node = model.invariants.find((i) => i.name === p.name)?.p;
      if (!node) throw new Error(p.name);
      const pred = { name: p.name, kind: "invariant" as const, p: node };
      expect(explicitHolds(model, p.ctiWithLemmas?.to ?? [], pred)).toBe(false);
    }
  }, 60_000);
});

/** Reachable states of a model, as the explicit checker finds them. */
function reachable(model: Model): Value[][] {
  const seen = new Map<string, Value[]>();
  // Without invariants the search does not stop at a violation: every reachable state is seen.
  checkModel(
    { ...model, invariants: [], properties: [] },
    {
      symmetry: false,
      onTransition: (from, _a, to) => {
        for (const s of [from, to]) seen.set(JSON.stringify(s), [...s]);
      },
    },
  );
  return [...seen.values()];
}

describe("the SMT encoding evaluates like the explicit checker", () => {
  // ManagementVote's typed but unreachable states make the checker stop with evaluation errors
  // (f[x] outside DOMAIN f), so it is compared on reachable states only.
  const cases: [string, Record<string, string>, boolean?][] = [
    ["ManagementVote", {}, false],
    ["CellLifecycle", {}],
    ["ResourceOwnership", {}],
    ["ResourceOwnership", { mode: "strict" }],
    ["TwoPhase", { rms: "2" }],
    ["Peterson", {}],
    ["DieHard", {}],
  ];
  for (const [name, params, typedToo = true] of cases) {
    it(`${name} ${JSON.stringify(params)}: every predicate and guard in random ${typedToo ? "reachable and typed" : "reachable"} states`, async () => {
      const model = build(name, params);
      const states = reachable(model);
      const enc = new ModelEncoding(model);
      // Reachable states, and typed states that need not be reachable (where induction looks).
      const reachableState = fc.integer({ min: 0, max: states.length - 1 }).map((i) => states[i] as Value[]);
      const anyState = typedToo ? fc.oneof(reachableState, fc.tuple(...enc.shapes.map(typed))) : reachableState;
      await fc.assert(
        fc.asyncProperty(anyState, async (state) => {
          const smt = await smtEvaluate(enc, state);
          for (const p of enc.predicates) {
            expect([p.name, smt.predicates.get(p.name)]).toEqual([p.name, explicitHolds(model, state, p)]);
          }
          for (const g of smt.guards) {
            const enabled = explicitEnabled(model, state, g.action, g.params);
            expect([g.action, g.params, g.enabled]).toEqual([g.action, g.params, enabled]);
            if (!enabled) continue;
            // The successor: the symbolic post-state equals the encoder's value, which is the checker's step.
            expect([g.action, g.params, g.nextAgrees]).toEqual([g.action, g.params, true]);
            const next = g.next ?? [];
            if (next.every((v, k) => JSON.stringify(v) === JSON.stringify(state[k]))) continue;
            const step = explicitStep(model, state, next, instance(model, g.action, g.params));
            expect([g.action, g.params, step.ok]).toEqual([g.action, g.params, true]);
          }
        }),
        { numRuns: 20 },
      );
    }, 120_000);
  }
});

/** Any value of a variable's shape (its type as the encoder reads it). */
function typed(shape: Shape): fc.Arbitrary<Value> {
  switch (shape.k) {
    case "bool":
      return fc.boolean();
    case "atom":
      return fc.constantFrom(...shape.dom);
    case "set":
      return fc.subarray([...shape.universe]).map((xs) => setOf(xs));
    case "fn":
      return fc
        .tuple(...shape.dom.map(() => typed(shape.range)))
        .map((values) => ({ kind: "function" as const, domain: shape.dom, values }));
    case "rec":
      return fc
        .tuple(...shape.fields.map(typed))
        .map((values) => ({ kind: "record" as const, names: shape.names, values }));
    case "tup":
      return fc.tuple(...shape.elems.map(typed)).map((elems) => ({ kind: "tuple" as const, elems }));
  }
}
