/** The planted-mutant detection rate as evidence: a surviving or stale mutant makes it fail, naming it. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutantEvidenceFor } from "../../../proofs/dossier/mutantEvidence.js";
import { collectEvidence, loadEvidenceCache, loadExampleSet, producerContext } from "../../../proofs/index.js";
import { mutants } from "../../mutants/mutants.js";

describe("mutantEvidence", () => {
  it("fails with the survivors named when a mutant changes nothing or no longer applies", {
    timeout: 300_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-mutants-"));
    const caught = mutants.find((m) => m.name === "cpus-to-wrong-cell");
    const defs = [
      caught,
      // Only adds a comment: behaviour is unchanged, so conformance cannot catch it.
      {
        name: "harmless",
        bug: "a comment edit",
        file: "core/exchange.ts",
        edits: [["if (budget === 0n) {", "if (budget === 0n) { /* same */"]],
      },
      { name: "gone", bug: "text that is not in the core", file: "core/exchange.ts", edits: [["no such text", "x"]] },
    ];
    const file = join(dir, "mutants.ts");
    writeFileSync(file, `export const mutants = ${JSON.stringify(defs)};\n`);
    const ctx = producerContext(loadExampleSet("x86"), { conformRuns: 1, conformSteps: 1, seed: 1 });
    const cache = loadEvidenceCache(join(dir, "cache.json"));
    const [item] = await collectEvidence(ctx, { cache, reuse: "auto", producers: [mutantEvidenceFor(file)] });
    expect(item?.result).toBe("fail");
    expect(item?.metrics).toEqual({ caught: 1, total: 3, rate: 33.3 });
    expect(item?.counterexample?.text).toMatch(/^harmless survived: a comment edit$/m);
    expect(item?.counterexample?.text).toMatch(
      /^gone survived: .*\(".*no such text" occurs 0 times in core\/exchange\.ts, not once\)$/m,
    );
  });
});
