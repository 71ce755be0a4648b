export { buildDossier, type DossierRun } from "./buildDossier.js";
export {
  collectEvidence,
  type ProgressEvent,
  plannedEvidenceIds,
  producerContext,
  type ReuseMode,
} from "./collectEvidence.js";
export { configHash, contentHash, treeHash } from "./contentHash.js";
export { type DocumentControl, displayPath, documentControl } from "./documentControl.js";
export { type EvidenceCache, loadEvidenceCache, saveEvidenceCache } from "./evidenceCache.js";
export type { Counterexample, EvidenceItem, EvidenceResult, Freshness } from "./evidenceItem.js";
export type { EvidenceJob, EvidenceOptions, EvidenceProducer, ProducerContext } from "./evidenceProducer.js";
export { evidenceProducers } from "./evidenceProducers.js";
export { budgetText, type Strength, strengthOf } from "./evidenceStrength.js";
export {
  applyMutant,
  baselineDepartures,
  caughtBy,
  loadCopy,
  loadUnit,
  type MutantDefinition,
  mutantBudget,
  probeSet,
  UNIT_CATCHER,
} from "./mutantSuite.js";
export { findChromium, printPdf } from "./printPdf.js";
export { progressLine } from "./progressLine.js";
export { type Dossier, dossierHtml, dossierMarkdown, freshnessLabel, summaryLine } from "./renderDossier.js";
export { conformBudget, loadRequirements, type Requirement } from "./requirements.js";
export { type ResidualRisk, residualRisk, upstreamFindings } from "./residualRisk.js";
export { type Shortfall, shortfalls } from "./shortfalls.js";
export { isVerified, type Status, statusOf, type Traceability, trace, verdictOf } from "./traceability.js";
export { type StageResult, verifyStages } from "./verifyStages.js";
export { evidenceCacheFile, type PreviousDossier, previousDossier, weakerThan, writeDossier } from "./writeDossier.js";
