/** The requirements catalogue (`proofs/requirements.yaml`): zod-validated, links checked against the evidence. */
import { join } from "node:path";
import { z } from "zod";
import { packageRoot } from "../packageRoot.js";
import { readYamlFile } from "../pipeline/readYamlFile.js";

const evidenceId = z
  .string()
  .regex(
    /^(model|induction|rule|conform|budget|mutants|coverage|tlc|diff-core|conform-upstream|surface|bitvector):\S+$/,
  );
const requirementSchema = z.strictObject({
  id: z.string().regex(/^REQ-[A-Z0-9-]+$/),
  statement: z.string().min(10),
  rationale: z.string().min(10),
  links: z.array(evidenceId).min(1),
  /** Corroborating evidence (e.g. TLC agreeing with the checker): a failure counts, its absence does not. */
  supporting: z.array(evidenceId).default([]),
  /** The sampling budget the requirement demands of its sampled evidence (conformance runs). */
  budget: z.strictObject({ runs: z.number().int().positive(), steps: z.number().int().positive() }).optional(),
});
export const requirementsSchema = z.object({ requirements: z.array(requirementSchema).min(1) });
export type Requirement = z.infer<typeof requirementSchema>;

/** The catalogue Warden ships; `WARDEN_REQUIREMENTS` points at another (a project's own, or a test's). */
export const requirementsFile = process.env.WARDEN_REQUIREMENTS ?? join(packageRoot, "proofs", "requirements.yaml");

export function loadRequirements(file = requirementsFile): Requirement[] {
  return readYamlFile(file, requirementsSchema, "requirements catalogue").requirements;
}

/**
 * The conformance budget `verify` and `dossier` alike run at: the largest any requirement demands,
 * so both commands produce (and can reuse) the same evidence.
 */
export function conformBudget(requirements: readonly Requirement[]): { runs: number; steps: number } {
  const demands = requirements.flatMap((r) => (r.budget ? [r.budget] : []));
  return {
    runs: Math.max(1, ...demands.map((b) => b.runs)),
    steps: Math.max(1, ...demands.map((b) => b.steps)),
  };
}
