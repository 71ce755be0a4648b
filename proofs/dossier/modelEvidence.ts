/** Evidence from the explicit-state checker: every invariant and property of the models instantiated from the set. */
import { isVoteTrace, toItf, traceSequence, traceTable, voteSequence } from "../../generators/index.js";
import { inputHash } from "../check/inputHash.js";
import { type ResolvedModel, resolveModels } from "../check/resolveModels.js";
import { checkModel } from "../explicit/checkModel.js";
import { configFacts } from "../instantiate/configFacts.js";
import { version } from "../packageRoot.js";
import { moduleHash, toolHash } from "./codeDirs.js";
import type { ProducedItem } from "./evidenceItem.js";
import type { EvidenceProducer, ProducerContext } from "./evidenceProducer.js";

/** The Jailhouse models checked on the configuration set, as instantiated from it. */
export const dossierModels = ["CellLifecycle", "ResourceOwnership", "ManagementVote"];
/** Models the dossier checks with their registry defaults (not instantiated from the set). */
export const dossierDefaultModels = ["VirtioMsi", "NestedEpt"];

const resolved = new WeakMap<ProducerContext, ResolvedModel[]>();

/** The dossier's models for a context, built once (the TLC producer uses the same instances). */
export function contextModels(ctx: ProducerContext): ResolvedModel[] {
  let models = resolved.get(ctx);
  if (!models) {
    models = [...resolveModels(dossierModels, {}, configFacts(ctx.set)), ...resolveModels(dossierDefaultModels, {})];
    resolved.set(ctx, models);
  }
  return models;
}

export const propertyNames = (r: ResolvedModel): string[] => [
  ...r.model.invariants.map((i) => i.name),
  ...r.model.properties.map((p) => p.name),
];

export const modelEvidence: EvidenceProducer = {
  name: "model",
  stage: "model checking",
  jobs: (ctx) =>
    contextModels(ctx).map((r) => ({
      key: r.name,
      params: Object.fromEntries(Object.entries(r.params)),
      inputs: {
        producer: moduleHash(import.meta.url),
        model: inputHash(r.model),
        source: toolHash("models"),
        checker: toolHash("proofs/explicit"),
      },
      ids: propertyNames(r).map((n) => `model:${r.name}.${n}`),
      run: async () => {
        const t = performance.now();
        const verdict = checkModel(r.model);
        const ms = performance.now() - t;
        const stats = verdict.stats;
        return propertyNames(r).map((name): ProducedItem => {
          const failed = verdict.kind === "violated" && verdict.property === name;
          const first = verdict.kind === "violated" ? verdict.property : verdict.kind;
          return {
            id: `model:${r.name}.${name}`,
            title: `${r.name} ${name}`,
            result: verdict.kind === "holds" ? "pass" : failed ? "fail" : "inconclusive",
            detail:
              failed && verdict.kind === "violated"
                ? `violated: ${verdict.message}; counterexample of ${verdict.trace.steps.length} states`
                : `${verdict.kind === "holds" ? "holds" : `not reached: ${first} first`} over ${stats.distinctStates} states, depth ${stats.depth}`,
            tool: `warden ${version} explicit-state checker`,
            ms,
            metrics: {
              distinctStates: stats.distinctStates,
              generatedStates: stats.generatedStates,
              depth: stats.depth,
            },
            ...(failed && verdict.kind === "violated"
              ? {
                  counterexample: {
                    text: traceTable(verdict.trace),
                    itf: toItf(verdict.trace, { source: `warden dossier, ${r.name}`, property: name }),
                    sequence: isVoteTrace(verdict.trace) ? voteSequence(verdict.trace) : traceSequence(verdict.trace),
                  },
                }
              : {}),
          };
        });
      },
    })),
};
