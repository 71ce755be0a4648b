/**
 * The conformance budgets of `warden verify` and `warden dossier`, in one place. Runs measure
 * action coverage (see proofs/refinement/actionCoverage.ts): the evidence names every reachable
 * action and outcome label a budget leaves unexercised.
 */
import type { EvidenceOptions } from "./evidenceProducer.js";

export const verifyConformBudget: Pick<EvidenceOptions, "conformRuns" | "conformSteps"> = {
  conformRuns: 15,
  conformSteps: 20,
};

export const dossierConformBudget: Pick<EvidenceOptions, "conformRuns" | "conformSteps"> = {
  conformRuns: 30,
  conformSteps: 25,
};
