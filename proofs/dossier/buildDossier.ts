/** Assembles the dossier: evidence (run or reused), traceability, diagrams and the residual-risk section. */
import { codeSizeChart, memoryMap } from "../../generators/index.js";
import type { ConfigSet } from "../../hypervisor/index.js";
import { lifecycleDiagram } from "../check/lifecycleDiagram.js";
import { resolveModels } from "../check/resolveModels.js";
import { voteDiagram } from "../check/voteDiagram.js";
import { configFacts } from "../instantiate/configFacts.js";
import { version } from "../packageRoot.js";
import { argumentDiagram } from "./argumentDiagram.js";
import { type CollectOptions, collectEvidence, plannedEvidenceIds, producerContext } from "./collectEvidence.js";
import type { EvidenceOptions } from "./evidenceProducer.js";
import type { Dossier } from "./renderDossier.js";
import { loadRequirements } from "./requirements.js";
import { residualRisk } from "./residualRisk.js";
import { checkLinks, trace } from "./traceability.js";

export interface DossierRun extends CollectOptions {
  readonly options: EvidenceOptions;
}

export async function buildDossier(set: ConfigSet, files: readonly string[], run: DossierRun): Promise<Dossier> {
  const requirements = loadRequirements();
  const ctx = producerContext(set, run.options);
  checkLinks(requirements, plannedEvidenceIds(ctx, run.producers));
  const evidence = await collectEvidence(ctx, run);
  const traceability = trace(requirements, evidence);
  const [lifecycle, vote] = resolveModels(["CellLifecycle", "ManagementVote"], {}, configFacts(set));
  const subject = `${set.system.config.root_cell.name} with ${set.cells.map((c) => c.config.name).join(", ") || "no cells"}`;
  const budget = evidence.filter((e) => e.id.startsWith("budget:") && e.metrics);
  const count = (f: (e: (typeof evidence)[number]) => boolean) => evidence.filter(f).length;
  return {
    title: `Warden certification dossier: ${subject}`,
    generated: new Date().toISOString(),
    warden: version,
    config: { files, hash: ctx.config },
    verdict:
      traceability.uncovered.length === 0 && !evidence.some((e) => e.result === "fail") ? "verified" : "not verified",
    freshness: {
      new: count((e) => e.freshness === "new" && e.result !== "not run"),
      reused: count((e) => e.freshness === "reused"),
      stale: count((e) => e.freshness === "stale"),
      notRun: count((e) => e.result === "not run"),
    },
    evidenceCache: run.cache.file,
    evidence,
    traceability,
    diagrams: {
      "Safety argument (GSN)": argumentDiagram(traceability, subject),
      "Physical memory map of the configuration": memoryMap(set),
      ...(budget.length
        ? {
            "Code size of the hypervisor core against its budget": codeSizeChart(
              budget.map((e) => ({ target: e.id.slice(7), code: e.metrics?.code ?? 0, limit: e.metrics?.limit ?? 0 })),
            ),
          }
        : {}),
      ...(lifecycle
        ? { "Cell lifecycle, derived from the reachable state graph": lifecycleDiagram(lifecycle.model) }
        : {}),
      ...(vote ? { "The management vote: an approved call, found by the checker": voteDiagram(vote.model) } : {}),
    },
    residualRisk: residualRisk(traceability, evidence),
  };
}
