/** The requirements catalogue (`proofs/requirements.yaml`): zod-validated, links checked against the evidence. */
import { join } from "node:path";
import { z } from "zod";
import { packageRoot } from "../packageRoot.js";
import { readYamlFile } from "../pipeline/readYamlFile.js";

const requirementSchema = z.object({
  id: z.string().regex(/^REQ-[A-Z0-9-]+$/),
  statement: z.string().min(10),
  rationale: z.string().min(10),
  links: z.array(z.string().regex(/^(model|rule|conform|budget):\S+$/)).min(1),
});
export const requirementsSchema = z.object({ requirements: z.array(requirementSchema).min(1) });
export type Requirement = z.infer<typeof requirementSchema>;

/** The catalogue Warden ships; `WARDEN_REQUIREMENTS` points at another (a project's own, or a test's). */
export const requirementsFile = process.env.WARDEN_REQUIREMENTS ?? join(packageRoot, "proofs", "requirements.yaml");

export function loadRequirements(file = requirementsFile): Requirement[] {
  return readYamlFile(file, requirementsSchema, "requirements catalogue").requirements;
}
