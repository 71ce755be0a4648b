export { buildDossier } from "./buildDossier.js";
export { collectEvidence, type EvidenceItem } from "./evidence.js";
export { type Dossier, dossierHtml, dossierMarkdown } from "./renderDossier.js";
export { loadRequirements, type Requirement } from "./requirements.js";
export { type Traceability, trace } from "./traceability.js";
