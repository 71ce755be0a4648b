import { describe, expect, it } from "vitest";
import { bindings, builtinImplementation, conform, loadExampleSet } from "../../../proofs/index.js";

/**
 * Conformance depth that guards main: every model × mode with at least 1,000 runs of up to 30
 * steps on the x86 example, the seed from the commit (WARDEN_SEED, set by .ci/run and printed by
 * the global setup, and again with each result). About 12 CPU seconds in all (86,000 checked steps
 * at seed 4242). WARDEN_CONFORM_DEPTH=1 runs the deep version: both examples and
 * WARDEN_CONFORM_RUNS runs (default 10,000) of WARDEN_CONFORM_STEPS steps (default 30).
 */
const deep = process.env.WARDEN_CONFORM_DEPTH === "1";
const runs = Math.max(1000, Number(process.env.WARDEN_CONFORM_RUNS ?? (deep ? "10000" : "1000")));
const steps = Number(process.env.WARDEN_CONFORM_STEPS ?? "30");
const seed = Number(process.env.WARDEN_SEED ?? "1");
const examples = deep ? (["x86", "arm64"] as const) : (["x86"] as const);

describe(`conformance depth: ${runs} runs × ≤ ${steps} steps per model and mode${deep ? " (deep)" : ""}`, () => {
  for (const example of examples) {
    for (const binding of Object.values(bindings)) {
      for (const mode of binding.modes ?? (["upstream", "strict"] as const)) {
        const name = `${binding.name} ${mode} conforms on the ${example} example (seed ${seed})`;
        it(name, { timeout: deep ? 3_600_000 : 300_000 }, async () => {
          const started = performance.now();
          const r = await conform(loadExampleSet(example), mode, builtinImplementation, { runs, steps, seed }, binding);
          const seconds = (performance.now() - started) / 1000;
          process.stderr.write(
            `[warden] conform ${example} ${binding.name} ${mode}: ${r.runs} runs, ${r.stepsChecked} steps in ${seconds.toFixed(1)} s (${Math.round(r.stepsChecked / seconds)} steps/s), seed ${seed}\n`,
          );
          expect(r.failure?.departure).toBeUndefined();
          expect(r.runs).toBe(runs);
          // Runs of up to `steps` steps, so the depth is real: on average well beyond a create and a start.
          expect(r.stepsChecked).toBeGreaterThan(runs * Math.min(steps, 30) * 0.25);
        });
      }
    }
  }
});
