import { describe, expect, it } from "vitest";
import { resourceOwnership, type Value } from "../../../models/index.js";
import { compileModel } from "../../../proofs/explicit/compileModel.js";
import { checkModel } from "../../../proofs/explicit/index.js";
import { builtinImplementation, conform, ownershipBinding } from "../../../proofs/index.js";
import { ownershipSpec } from "../../../proofs/instantiate/ownershipSpec.js";
import { enabledSteps, failingInvariants, initialStates } from "../../../proofs/refinement/modelSteps.js";
import { overlappingExample } from "../../builders/overlappingExample.js";

describe("conformance to ResourceOwnership", () => {
  it("holds on overlapping cells in both modes: the core shares exactly where the model says upstream shares", async () => {
    for (const mode of ["upstream", "strict"] as const) {
      const report = await conform(
        overlappingExample(),
        mode,
        builtinImplementation,
        { runs: 40, steps: 15, seed: 5 },
        ownershipBinding,
      );
      expect(report.failure, JSON.stringify(report.failure?.departure)).toBeUndefined();
      expect(report.stepsChecked).toBeGreaterThan(100);
    }
  });

  it("finds upstream's root-isolation break in the model too: destroying one of two overlapping cells gives root memory the other still maps", () => {
    const cm = compileModel(resourceOwnership(ownershipSpec(overlappingExample(), "upstream")));
    let state = initialStates(cm)[0] as Value[];
    for (const [action, cell] of [
      ["CellCreate", "linux"],
      ["CellCreate", "rt-bare-metal"],
      ["CellDestroy", "linux"],
    ]) {
      const step = enabledSteps(cm, state).find((s) => s.action === action && s.params.c === cell);
      if (!step) throw new Error(`${action}(${cell}) is not enabled`);
      state = step.next as Value[];
    }
    expect(failingInvariants(cm, state)).toContain("RootIsolated");
    expect(checkModel(resourceOwnership(ownershipSpec(overlappingExample(), "strict"))).kind).toBe("holds");
  });

  it("departs when the core keeps a cell's memory mapped in root", async () => {
    const report = await conform(
      overlappingExample(),
      "strict",
      (set, mode) => {
        const impl = builtinImplementation(set, mode);
        // A holder report that forgets the root lost a region: what a core that never unmaps would say.
        return {
          ...impl,
          abstractState: () => {
            const s = impl.abstractState() as ReturnType<typeof impl.abstractState> & {
              holders: Record<string, string[]>;
            };
            const holders = Object.fromEntries(
              Object.entries(s.holders).map(([r, h]) => [
                r,
                r.startsWith("mem") && !h.includes("root") ? [...h, "root"].sort() : h,
              ]),
            );
            return { ...s, holders };
          },
        };
      },
      { runs: 20, steps: 10, seed: 5 },
      ownershipBinding,
    );
    expect(report.failure?.departure.command).toMatch(/^create cell/);
  });
});
