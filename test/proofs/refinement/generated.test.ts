import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConfigSetKind, configSetArbitrary } from "../../../generators/index.js";
import { bindings, builtinImplementation, conform, loadExampleSet } from "../../../proofs/index.js";

describe("conformance on generated configuration sets", () => {
  for (const kind of ["valid", "overlapping", "edge"] as ConfigSetKind[]) {
    it(`holds for ${kind} sets on both architectures, both models, both modes`, { timeout: 120_000 }, async () => {
      for (const example of ["x86", "arm64"] as const) {
        await fc.assert(
          fc.asyncProperty(configSetArbitrary(loadExampleSet(example), kind), async (set) => {
            for (const binding of Object.values(bindings)) {
              for (const mode of ["upstream", "strict"] as const) {
                const report = await conform(
                  set,
                  mode,
                  builtinImplementation,
                  { runs: 5, steps: 12, seed: 1 },
                  binding,
                );
                expect(report.failure?.departure, `${binding.name} ${mode}`).toBeUndefined();
              }
            }
          }),
          { numRuns: 3 },
        );
      }
    });
  }

  it("generates valid sets whose cells share nothing, and overlapping sets that sometimes do", () => {
    const overlaps = (kind: ConfigSetKind) =>
      fc.sample(configSetArbitrary(loadExampleSet("x86"), kind), { numRuns: 30, seed: 4 }).some((set) => {
        const ranges = set.cells.map((c) => c.config.memory_regions[0]);
        return ranges.some((a, i) =>
          ranges.some(
            (b, j) => i < j && a && b && a.phys_start < b.phys_start + b.size && b.phys_start < a.phys_start + a.size,
          ),
        );
      });
    expect(overlaps("valid")).toBe(false);
    expect(overlaps("overlapping")).toBe(true);
  });
});
