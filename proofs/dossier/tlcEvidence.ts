/**
 * Evidence that TLC agrees with Warden's checker on each model instantiated from the set: the
 * same distinct and generated state counts and the same verdict. Needs the jar named by
 * WARDEN_TLA2TOOLS; without it the items are "not run".
 */
import { existsSync, statSync } from "node:fs";
import { emitTla } from "../../generators/index.js";
import { inputHash } from "../check/inputHash.js";
import { verdictName } from "../check/verdictName.js";
import { checkModel } from "../explicit/checkModel.js";
import { version } from "../packageRoot.js";
import { runTlc } from "../tlc/runTlc.js";
import { moduleHash, toolHash } from "./codeDirs.js";
import { fileHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";
import { contextModels } from "./modelEvidence.js";

function configuredJar(): string | undefined {
  const jar = process.env.WARDEN_TLA2TOOLS;
  return jar && existsSync(jar) && statSync(jar).isFile() ? jar : undefined;
}

export const tlcEvidence: EvidenceProducer = {
  name: "tlc",
  stage: "TLC cross-check",
  jobs: (ctx) => {
    const jar = configuredJar();
    return contextModels(ctx).map((r) => ({
      key: r.name,
      params: { workers: 1, ...Object.fromEntries(Object.entries(r.params)) },
      inputs: {
        producer: moduleHash(import.meta.url),
        model: inputHash(r.model),
        jar: jar ? fileHash(jar) : "none",
        emitter: toolHash("generators/tla"),
        checker: toolHash("proofs/explicit"),
      },
      ids: [`tlc:${r.name}`],
      titles: { [`tlc:${r.name}`]: `TLC agrees with Warden's checker on ${r.name}` },
      ...(jar ? {} : { unavailable: "no TLC jar (set WARDEN_TLA2TOOLS to tla2tools.jar)" }),
      run: async () => {
        const ours = checkModel(r.model);
        const emitted = emitTla(r.model, { command: "warden dossier", version, inputHash: inputHash(r.model) });
        const tlc = runTlc(r.model.name, emitted, jar);
        const agree =
          tlc.distinctStates === ours.stats.distinctStates &&
          tlc.generatedStates === ours.stats.generatedStates &&
          tlc.verdict === verdictName(ours);
        const both = `Warden ${verdictName(ours)} ${ours.stats.distinctStates}/${ours.stats.generatedStates}; TLC ${tlc.verdict} ${tlc.distinctStates}/${tlc.generatedStates} (distinct/generated)`;
        return [
          {
            id: `tlc:${r.name}`,
            title: `TLC agrees with Warden's checker on ${r.name}`,
            result: agree && tlc.verdict === "success" ? "pass" : "fail",
            detail: `${agree ? "agree" : "DISAGREE"}: ${both}, depth ${tlc.depth}`,
            tool: tlc.version,
            ms: tlc.ms,
            metrics: {
              distinctStates: tlc.distinctStates,
              generatedStates: tlc.generatedStates,
              depth: tlc.depth,
              wardenDistinctStates: ours.stats.distinctStates,
            },
            ...(agree && tlc.verdict === "success"
              ? {}
              : { counterexample: { text: `${both}\n${tlc.property ? `TLC: ${tlc.property} violated\n` : ""}` } }),
          },
        ];
      },
    }));
  },
};
