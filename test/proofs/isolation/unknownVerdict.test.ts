/** An answer that stays incomplete is `unknown` per obligation and fails the proof; it is never a verdict or a crash. */
import { describe, expect, it, vi } from "vitest";

vi.mock("../../../proofs/isolation/z3.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../proofs/isolation/z3.js")>();
  const incomplete = async () => "unsupported\n";
  return {
    ...real,
    solveOrUnknown: (smt2: string) => real.solveOrUnknown(smt2, incomplete),
    solve: (smt2: string) => real.solve(smt2, incomplete),
  };
});

const { loadExampleSet, proveIsolation, proveModel, proofFailed, resolveModels } = await import(
  "../../../proofs/index.js"
);

describe("incomplete Z3 answers", () => {
  it("make every isolation obligation unknown with the reason", async () => {
    const results = await proveIsolation(loadExampleSet("x86"));
    expect(results.length).toBeGreaterThan(0);
    // A rule with no descriptors asks the solver nothing (it holds vacuously); every other is unknown.
    const asked = results.filter((r) => r.encoding !== "vacuous");
    expect(asked.length).toBeGreaterThan(0);
    for (const r of asked) {
      expect(r.verdict, r.rule.id).toBe("unknown");
      expect(r.reason).toMatch(/after 5 attempts/);
    }
  });
  it("make a model proof unknown and failed", async () => {
    const [r] = resolveModels(["DieHard"], {});
    if (!r) throw new Error("DieHard");
    const proof = await proveModel(r.model, { bmc: 1 });
    expect(proof.unknown).toMatch(/without values|no verdict/);
    expect(proofFailed(proof)).toBe(true);
  });
});
