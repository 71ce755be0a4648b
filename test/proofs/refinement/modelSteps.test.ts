import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../../../models/index.js";
import { compileModel } from "../../../proofs/explicit/compileModel.js";
import { bindings, loadExampleSet } from "../../../proofs/index.js";
import { enabledSteps, failingInvariants, initialStates, stateKey } from "../../../proofs/refinement/modelSteps.js";

describe("remembered model steps", () => {
  const set = loadExampleSet("x86");
  for (const binding of Object.values(bindings)) {
    it(`give what a fresh compilation computes, along random walks (${binding.modelName})`, () => {
      const model = binding.model(set, "upstream");
      const warm = compileModel(model);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 25 }), (choices) => {
          // A fresh compilation has an empty memo: every answer is computed, none remembered.
          const cold = compileModel(model);
          let state = initialStates(warm)[0] as readonly Value[];
          for (const choice of choices) {
            const steps = enabledSteps(warm, state);
            expect(enabledSteps(warm, [...state])).toBe(steps);
            expect(steps).toEqual(enabledSteps(cold, state));
            expect(failingInvariants(warm, state)).toEqual(failingInvariants(cold, state));
            const step = steps[choice % Math.max(steps.length, 1)];
            if (!step) break;
            expect(Object.isFrozen(step.next)).toBe(true);
            expect(stateKey(step.next)).toBe(JSON.stringify(step.next));
            state = step.next;
          }
        }),
        { numRuns: 20 },
      );
    });
  }
});
