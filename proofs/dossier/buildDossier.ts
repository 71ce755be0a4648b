/** Assembles the dossier: evidence (run or reused), traceability, verdict, diagrams, memory map, residual risk, document control. */
import { codeSizeChart, memoryMapSvg, summaryData } from "../../generators/index.js";
import type { ConfigSet } from "../../hypervisor/index.js";
import { lifecycleDiagram } from "../check/lifecycleDiagram.js";
import { nestedEptDiagram } from "../check/nestedEptDiagram.js";
import { resolveModels } from "../check/resolveModels.js";
import { voteDiagram } from "../check/voteDiagram.js";
import { configFacts } from "../instantiate/configFacts.js";
import { version } from "../packageRoot.js";
import { argumentDiagram, requirementArgument } from "./argumentDiagram.js";
import { type CollectOptions, collectEvidence, plannedEvidenceIds, producerContext } from "./collectEvidence.js";
import { displayPath, documentControl } from "./documentControl.js";
import type { EvidenceOptions } from "./evidenceProducer.js";
import type { Dossier } from "./renderDossier.js";
import { loadRequirements } from "./requirements.js";
import { residualRisk } from "./residualRisk.js";
import { shortfalls } from "./shortfalls.js";
import { dossierSurface } from "./surfaceSection.js";
import { checkLinks, trace, verdictOf } from "./traceability.js";

export interface DossierRun extends CollectOptions {
  readonly options: EvidenceOptions;
  /** The revision of the dossier this one replaces, if any (document control counts on from it). */
  readonly previousRevision?: number;
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
  const short = shortfalls(traceability);
  const control = documentControl(files, run.previousRevision);
  const summary = summaryData(set);
  const surface = dossierSurface(evidence);
  return {
    title: `Warden certification dossier: ${subject}`,
    generated: control.generated,
    warden: version,
    config: { files: control.configFiles, hash: ctx.config },
    system: {
      arch: set.system.config.arch,
      cells: summary.cells.map((c) => ({
        name: c.name,
        role: c.role,
        file: displayPath(c.file),
        cpus: c.cpus,
        vote: c.vote,
      })),
    },
    verdict: verdictOf(traceability),
    shortfalls: short,
    freshness: {
      new: count((e) => e.freshness === "new" && e.result !== "not run"),
      reused: count((e) => e.freshness === "reused"),
      stale: count((e) => e.freshness === "stale"),
      notRun: count((e) => e.result === "not run"),
    },
    evidenceCache: displayPath(run.cache.file),
    evidence,
    traceability,
    argument: argumentDiagram(traceability, subject),
    arguments: Object.fromEntries(traceability.rows.map((r) => [r.requirement.id, requirementArgument(r)])),
    memoryMap: memoryMapSvg(set, [], displayPath),
    ...(surface ? { surface } : {}),
    diagrams: {
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
      "Nested EPT validation (KVM in a cell): a trapped write breaks a running EPT, found by the checker":
        nestedEptDiagram(),
    },
    residualRisk: residualRisk(traceability, evidence),
    control,
  };
}
