import { describe, expect, it } from "vitest";
import { bindings, builtinImplementation, conform, loadExampleSet } from "../../../proofs/index.js";

/**
 * Conformance depth that guards main: every model × mode with at least 1,000 runs, the seed from
 * the commit (WARDEN_SEED, set by .ci/run and printed by the global setup). Costly at today's
 * speed, so it runs when WARDEN_CONFORM_DEPTH is set; WARDEN_CONFORM_STEPS trims the steps per
 * run (never the runs) to fit a CI budget.
 */
const depth = process.env.WARDEN_CONFORM_DEPTH;
const runs = Math.max(1000, Number(process.env.WARDEN_CONFORM_RUNS ?? "1000"));
const steps = Number(process.env.WARDEN_CONFORM_STEPS ?? "4");
const seed = Number(process.env.WARDEN_SEED ?? "1");
if (!depth) process.stderr.write("[warden] deep conformance skipped: set WARDEN_CONFORM_DEPTH=1 to run it\n");

describe.skipIf(!depth)(`conformance depth: ${runs} runs × ≤ ${steps} steps per model and mode`, () => {
  for (const binding of Object.values(bindings)) {
    for (const mode of ["upstream", "strict"] as const) {
      it(`${binding.name} ${mode} conforms on the x86 example (seed ${seed})`, { timeout: 1_800_000 }, async () => {
        const started = performance.now();
        const r = await conform(loadExampleSet("x86"), mode, builtinImplementation, { runs, steps, seed }, binding);
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(
          `[warden] conform ${binding.name} ${mode}: ${r.runs} runs, ${r.stepsChecked} steps in ${seconds.toFixed(1)} s (${Math.round(r.stepsChecked / seconds)} steps/s), seed ${seed}\n`,
        );
        expect(r.runs).toBe(runs);
        expect(r.failure?.departure).toBeUndefined();
      });
    }
  }
});
