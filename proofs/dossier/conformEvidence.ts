/** Evidence that the hypervisor core conforms to the models, per model binding and mode. */
import { toItf, traceSequence } from "../../generators/index.js";
import { version } from "../packageRoot.js";
import { COVERAGE_STATE_LIMIT } from "../refinement/actionCoverage.js";
import { bindings } from "../refinement/bindings.js";
import { type ConformReport, conform } from "../refinement/conform.js";
import { builtinImplementation } from "../refinement/coreImplementation.js";
import { coreHash, moduleHash, toolHash } from "./codeDirs.js";
import type { Counterexample } from "./evidenceItem.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

function counterexample(r: ConformReport): Counterexample | undefined {
  const f = r.failure;
  if (!f) return undefined;
  const d = f.departure;
  const text = [
    `departs at step ${d.step}: ${d.command}`,
    `  model expects ${d.expected.result}, state ${JSON.stringify(d.expected.state)}`,
    `  core gives    ${d.actual.result}, state ${JSON.stringify(d.actual.state)}`,
    ...d.actual.invariants.map((v) => `  violated ${v}`),
    "minimal run:",
    ...f.commands.map((c, i) => `  ${i + 1}. ${c}`),
    `replay: warden conform --model ${r.model} --mode ${r.mode} --runs ${r.runs} --seed ${r.seed} (fast-check path ${f.path})`,
    "",
  ].join("\n");
  return {
    text,
    itf: toItf(f.modelTrace, { source: `warden dossier, conform ${r.model} ${r.mode}` }),
    sequence: traceSequence(f.modelTrace, "Model"),
  };
}

/** The implementation the dossier's conformance runs test. */
const IMPLEMENTATION = "Warden's TypeScript core (hypervisor/)";

export const conformEvidence: EvidenceProducer = {
  name: "conform",
  stage: "conformance of the core to the models",
  jobs: (ctx) =>
    Object.values(bindings).flatMap((binding) =>
      (binding.modes ?? (["upstream", "strict"] as const)).map((mode) => {
        const { conformRuns: runs, conformSteps: steps, seed } = ctx.options;
        return {
          key: `${binding.name}:${mode}`,
          params: { runs, steps, seed, mode },
          inputs: {
            producer: moduleHash(import.meta.url),
            core: coreHash(),
            config: ctx.config,
            models: toolHash("models"),
            conformance: toolHash("proofs/refinement"),
          },
          ids: [`conform:${binding.name}:${mode}`],
          run: async () => {
            const t = performance.now();
            const coverage = { stateLimit: COVERAGE_STATE_LIMIT };
            const r = await conform(ctx.set, mode, builtinImplementation, { runs, steps, seed, coverage }, binding);
            const c = r.coverage;
            const hit = c ? c.reachable.length - c.missing.length : 0;
            const labels = c
              ? `; ${hit} of ${c.reachable.length} reachable action/outcome labels exercised${c.missing.length > 0 ? ` (never: ${c.missing.join(", ")})` : ""}`
              : "";
            const outside = Object.entries(r.unmodelledKinds).map(([k, n]) => `${k}: ${n}`);
            const cex = counterexample(r);
            return [
              {
                id: `conform:${binding.name}:${mode}`,
                title: `hypervisor core conforms to ${binding.modelName} (${mode})`,
                result: r.failure ? "fail" : "pass",
                detail: r.failure
                  ? `departs at step ${r.failure.departure.step}: ${r.failure.departure.command}`
                  : `${r.stepsChecked} steps conform over ${r.runs} runs (${r.unmodelled} outside the abstraction${outside.length > 0 ? `: ${outside.join(", ")}` : ""})${labels}`,
                tool: `warden ${version} conform (fast-check) against ${IMPLEMENTATION}`,
                ms: performance.now() - t,
                metrics: {
                  runs: r.runs,
                  stepsChecked: r.stepsChecked,
                  unmodelled: r.unmodelled,
                  labelsReachable: c?.reachable.length ?? 0,
                  labelsExercised: hit,
                },
                ...(cex ? { counterexample: cex } : {}),
              },
            ];
          },
        };
      }),
    ),
};
