/** Evidence from the Z3 isolation proofs on the configuration set, one item per rule. */
import { onSourceLine } from "../csource/onSourceLine.js";
import { describeWitness } from "../isolation/describeWitness.js";
import { proveIsolation } from "../isolation/proveIsolation.js";
import { rules } from "../isolation/rules.js";
import { z3Version } from "../isolation/z3.js";
import { moduleHash, toolHash } from "./codeDirs.js";
import { contentHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

export const isolationEvidence: EvidenceProducer = {
  name: "rule",
  stage: "isolation proofs (Z3)",
  jobs: (ctx) => [
    {
      key: "all-rules",
      params: { sharing: "none" },
      inputs: {
        producer: moduleHash(import.meta.url),
        config: ctx.config,
        prover: toolHash("proofs/isolation"),
      },
      ids: rules.map((r) => `rule:${r.id}`),
      run: async () => {
        const z3 = await z3Version();
        return (await proveIsolation(ctx.set)).map((r) => ({
          id: `rule:${r.rule.id}`,
          title: r.rule.title,
          result: r.verdict === "proved" ? "pass" : r.verdict === "unknown" ? "inconclusive" : "fail",
          detail:
            r.verdict === "violated"
              ? `violated: ${r.witnesses.length} overlap(s)`
              : r.verdict === "unknown"
                ? `unknown: ${r.reason}`
                : r.encoding === "vacuous"
                  ? "holds vacuously (no descriptors to state)"
                  : `proved (unsat, ${r.encoding} form, ${r.parts.length} part(s))`,
          tool: `Z3 ${z3} (z3-solver wasm)`,
          ms: r.ms,
          inputs: { obligation: contentHash(r.smt2) },
          metrics: { witnesses: r.witnesses.length },
          ...(r.verdict === "violated"
            ? {
                counterexample: {
                  text: `${r.witnesses.map((w) => describeWitness(r, { ...w, first: onSourceLine(w.first), second: onSourceLine(w.second) })).join("\n")}\n`,
                },
              }
            : {}),
        }));
      },
    },
  ],
};
