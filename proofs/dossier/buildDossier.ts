/** Assembles the dossier: evidence, traceability, diagrams and the residual-risk section. */
import type { ConfigSet } from "../../hypervisor/index.js";
import { lifecycleDiagram } from "../check/lifecycleDiagram.js";
import { resolveModels } from "../check/resolveModels.js";
import { voteDiagram } from "../check/voteDiagram.js";
import { configFacts } from "../instantiate/configFacts.js";
import { version } from "../packageRoot.js";
import { argumentDiagram } from "./argumentDiagram.js";
import { collectEvidence, configHash, type EvidenceOptions, plannedEvidenceIds } from "./evidence.js";
import type { Dossier } from "./renderDossier.js";
import { loadRequirements } from "./requirements.js";
import { checkLinks, trace } from "./traceability.js";

export async function buildDossier(
  set: ConfigSet,
  files: readonly string[],
  options: EvidenceOptions,
  progress: (stage: string) => void,
): Promise<Dossier> {
  const requirements = loadRequirements();
  checkLinks(requirements, plannedEvidenceIds(set));
  const evidence = await collectEvidence(set, options, progress);
  const traceability = trace(requirements, evidence);
  const [lifecycle, vote] = resolveModels(["CellLifecycle", "ManagementVote"], {}, configFacts(set));
  const subject = `${set.system.config.root_cell.name} with ${set.cells.map((c) => c.config.name).join(", ") || "no cells"}`;
  const gaps = traceability.rows.filter((r) => r.coverage !== "verified");
  return {
    title: `Warden certification dossier: ${subject}`,
    generated: new Date().toISOString(),
    warden: version,
    config: { files, hash: configHash(set) },
    verdict: gaps.length === 0 ? "verified" : "not verified",
    evidence,
    traceability,
    diagrams: {
      "Safety argument (GSN)": argumentDiagram(traceability, subject),
      ...(lifecycle
        ? { "Cell lifecycle, derived from the reachable state graph": lifecycleDiagram(lifecycle.model) }
        : {}),
      ...(vote ? { "The management vote: an approved call, found by the checker": voteDiagram(vote.model) } : {}),
    },
    residualRisk: [
      ...gaps.map(
        (r) =>
          `${r.requirement.id} is ${r.coverage}: ${r.evidence
            .filter((e) => e.result !== "pass")
            .map((e) => `${e.id} ${e.result}`)
            .join(", ")}.`,
      ),
      ...traceability.orphans.map((id) => `Evidence ${id} serves no requirement in the catalogue.`),
      "The models abstract the hardware: caches, DMA outside the IOMMU, interrupt timing and firmware are not modelled.",
      "The conformance evidence is about Warden's TypeScript core; the real C hypervisor is covered only when a harness has been run with `warden conform --impl`.",
      "Trusted tools: Warden's explicit-state checker (cross-checked against TLC 2.20 on the manifest), Z3 through z3-solver (wasm), Node.js.",
      "Not yet in this dossier: TLC runs, the planted-mutant detection rate and test coverage of hypervisor/ (run `npm test`), reuse of fresh evidence.",
    ],
  };
}
