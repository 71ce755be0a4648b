export { buildDossier, type DossierRun } from "./buildDossier.js";
export {
  collectEvidence,
  type ProgressEvent,
  plannedEvidenceIds,
  producerContext,
  type ReuseMode,
} from "./collectEvidence.js";
export { dossierConformBudget, verifyConformBudget } from "./conformBudget.js";
export { configHash, contentHash, treeHash } from "./contentHash.js";
export { type EvidenceCache, loadEvidenceCache, saveEvidenceCache } from "./evidenceCache.js";
export type { Counterexample, EvidenceItem, EvidenceResult, Freshness } from "./evidenceItem.js";
export type { EvidenceJob, EvidenceOptions, EvidenceProducer, ProducerContext } from "./evidenceProducer.js";
export { evidenceProducers } from "./evidenceProducers.js";
export {
  applyMutant,
  baselineDepartures,
  caughtBy,
  loadCopy,
  type MutantDefinition,
  mutantBudget,
  probeSet,
} from "./mutantSuite.js";
export { progressLine } from "./progressLine.js";
export { type Dossier, dossierHtml, dossierMarkdown, freshnessLabel } from "./renderDossier.js";
export { loadRequirements, type Requirement } from "./requirements.js";
export { type Traceability, trace } from "./traceability.js";
export { type StageResult, verifyStages } from "./verifyStages.js";
export { evidenceCacheFile, writeDossier } from "./writeDossier.js";
