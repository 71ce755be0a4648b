/**
 * Every evidence producer of the dossier, in the order they run. Adding a kind of evidence is
 * one entry here (an `EvidenceProducer`) plus the requirements that link its ids.
 */
import { budgetEvidence } from "./budgetEvidence.js";
import { conformCoverageEvidence } from "./conformCoverageEvidence.js";
import { conformEvidence } from "./conformEvidence.js";
import { coverageEvidence } from "./coverageEvidence.js";
import type { EvidenceProducer } from "./evidenceProducer.js";
import { inductionEvidence } from "./inductionEvidence.js";
import { isolationEvidence } from "./isolationEvidence.js";
import { modelEvidence } from "./modelEvidence.js";
import { mutantEvidence } from "./mutantEvidence.js";
import { nestedEptEvidence } from "./nestedEptEvidence.js";
import { surfaceEvidence } from "./surfaceEvidence.js";
import { tlcEvidence } from "./tlcEvidence.js";
import { upstreamEvidence } from "./upstreamEvidence.js";
import { virtioMsiEvidence } from "./virtioMsiEvidence.js";

export const evidenceProducers: readonly EvidenceProducer[] = [
  isolationEvidence,
  modelEvidence,
  inductionEvidence,
  tlcEvidence,
  conformEvidence,
  mutantEvidence,
  virtioMsiEvidence,
  nestedEptEvidence,
  coverageEvidence,
  conformCoverageEvidence,
  budgetEvidence,
  surfaceEvidence,
  upstreamEvidence,
];
