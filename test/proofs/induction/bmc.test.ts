import { describe, expect, it } from "vitest";
import { findModel, type Model } from "../../../models/index.js";
import { checkModel } from "../../../proofs/explicit/index.js";
import { boundedCheck } from "../../../proofs/induction/bmc.js";
import { ModelEncoding } from "../../../proofs/induction/index.js";

const build = (name: string, params: Record<string, string> = {}): Model => {
  const entry = findModel(name);
  if (!entry) throw new Error(name);
  return entry.build(params);
};

/** Models whose explicit check ends in an invariant violation, with the checker's trace. */
const violating: [string, Record<string, string>][] = [
  ["DieHard", {}],
  ["Peterson", { bug: "true" }],
  ["ResourceOwnership", {}],
  ["ResourceOwnership", { bug: "true" }],
  ["CellLifecycle", { bug: "true" }],
  // NoFreeze is a []P property: BMC checks it like an invariant.
  ["CellLifecycle", { timeout: "" }],
];

describe("bounded model checking agrees with the explicit checker", () => {
  for (const [name, params] of violating) {
    it(`${name} ${JSON.stringify(params)}: first violation at the checker's depth, none below`, async () => {
      const model = build(name, params);
      const verdict = checkModel(model, { symmetry: false });
      expect(verdict.kind).toBe("violated");
      if (verdict.kind !== "violated") return;
      const depth = verdict.trace.steps.length - 1;
      const enc = new ModelEncoding(model);
      const below = await boundedCheck(enc, depth - 1);
      expect(below.violations).toEqual([]);
      const at = await boundedCheck(enc, depth);
      const first = Math.min(...at.violations.map((v) => v.depth));
      expect(first).toBe(depth);
      const names = at.violations.filter((v) => v.depth === depth).map((v) => v.name);
      expect(names).toContain(verdict.property);
      // The BMC trace is a behaviour of the model (replayed by the checker while decoding) of that length.
      const trace = at.violations.find((v) => v.name === verdict.property)?.trace;
      expect(trace?.steps.length).toBe(depth + 1);
      expect(trace?.steps[0]?.action).toBe("Init");
    }, 120_000);
  }

  it("finds nothing where the checker finds nothing (TwoPhase, CellLifecycle, strict ownership)", async () => {
    for (const [name, params] of [
      ["TwoPhase", { rms: "2" }],
      ["CellLifecycle", {}],
      ["ResourceOwnership", { mode: "strict" }],
    ] as const) {
      const model = build(name, params);
      expect(checkModel(model).kind).toBe("holds");
      const r = await boundedCheck(new ModelEncoding(model), 3);
      expect([name, r.violations]).toEqual([name, []]);
    }
  }, 120_000);
});
