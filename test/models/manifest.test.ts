import { describe, expect, it } from "vitest";
import { checkModel, readManifest, resolveModels, verdictName } from "../../proofs/index.js";

describe("models/manifest.json", () => {
  const entries = readManifest();

  it("lists at least one holding and one failing model of each kind", () => {
    const verdicts = new Set(entries.map((e) => e.expected));
    expect(verdicts).toEqual(new Set(["success", "safety failure", "liveness failure"]));
  });

  for (const entry of entries.filter((e) => e.runtime !== "large")) {
    it(`reproduces ${entry.model} ${JSON.stringify(entry.params)}: ${entry.expected}, ${entry.distinctStates} states`, () => {
      const [resolved] = resolveModels([entry.model], entry.params);
      const verdict = checkModel(resolved?.model ?? expect.unreachable());
      expect({
        expected: verdictName(verdict),
        distinctStates: verdict.stats.distinctStates,
        generatedStates: verdict.stats.generatedStates,
        depth: verdict.stats.depth,
      }).toEqual({
        expected: entry.expected,
        distinctStates: entry.distinctStates,
        generatedStates: entry.generatedStates,
        depth: entry.depth,
      });
    });
  }
});
