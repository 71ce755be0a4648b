import { describe, expect, it } from "vitest";
import { compileModel } from "../../../proofs/explicit/compileModel.js";
import { builtinImplementation, conform, lifecycleBinding, loadExampleSet } from "../../../proofs/index.js";
import { actionCoverage, reachableLabels } from "../../../proofs/refinement/actionCoverage.js";
import { initialStates } from "../../../proofs/refinement/modelSteps.js";

describe("action coverage of conformance runs", () => {
  it("finds the model's reachable action and outcome labels, the vote outcomes and the broadcast's included", () => {
    const cm = compileModel(lifecycleBinding.model(loadExampleSet("x86"), "upstream"));
    const init = initialStates(cm)[0] ?? [];
    const all = reachableLabels(lifecycleBinding, cm, init, 100_000);
    expect(all.complete).toBe(true);
    expect(all.states).toBe(941);
    for (const label of ["CellStart(approve) → ok", "CellStart(timeout) → ok", "CellCreateUnanswered → ok"])
      expect(all.labels).toContain(label);
    // A vote that hangs is unreachable here: rt-bare-metal has a timeout and linux is passive.
    expect([...all.labels].some((l) => l.endsWith("→ HANG"))).toBe(false);
    const capped = reachableLabels(lifecycleBinding, cm, init, 10);
    expect(capped.complete).toBe(false);
    expect(capped.labels.size).toBeLessThan(all.labels.size);
  });

  it("lists the reachable labels a run never exercised", () => {
    const c = actionCoverage(new Map([["A → ok", 3]]), {
      labels: new Set(["B → ok", "A → ok"]),
      complete: true,
      states: 2,
    });
    expect(c).toEqual({
      exercised: { "A → ok": 3 },
      reachable: ["A → ok", "B → ok"],
      missing: ["B → ok"],
      complete: true,
      modelStates: 2,
    });
  });

  it("counts every conforming step under its label, and a tiny budget leaves labels missing", async () => {
    const set = loadExampleSet("x86");
    const r = await conform(set, "upstream", builtinImplementation, {
      runs: 3,
      steps: 6,
      seed: 7,
      coverage: { stateLimit: 100_000 },
    });
    const counted = Object.values(r.coverage?.exercised ?? {}).reduce((a, b) => a + b, 0);
    expect(counted).toBe(r.stepsChecked - r.unmodelled);
    expect(r.coverage?.missing.length).toBeGreaterThan(0);
    expect(r.coverage?.missing.every((l) => r.coverage?.reachable.includes(l))).toBe(true);
  });
});
