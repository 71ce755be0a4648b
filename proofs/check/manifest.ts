/** The schema of `models/manifest.json`, the regression suite of expected verdicts and counts. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { packageRoot } from "../packageRoot.js";

export const manifestEntry = z.object({
  model: z.string(),
  params: z.record(z.string(), z.string()),
  expected: z.enum(["success", "safety failure", "liveness failure", "deadlock failure"]),
  distinctStates: z.number().int().nonnegative(),
  generatedStates: z.number().int().nonnegative(),
  depth: z.number().int().nonnegative(),
  runtime: z.enum(["small", "medium", "large"]),
  tlcAgreed: z.boolean(),
});
export type ManifestEntry = z.infer<typeof manifestEntry>;

export const manifestSchema = z.object({ $comment: z.string().optional(), entries: z.array(manifestEntry) });

/** Reads and validates the manifest shipped with Warden. */
export function readManifest(path = join(packageRoot, "models", "manifest.json")): ManifestEntry[] {
  return manifestSchema.parse(JSON.parse(readFileSync(path, "utf8"))).entries;
}

/** The directory under `proofs/tla/` holding an entry's emitted modules. */
export function tlaDirName(entry: Pick<ManifestEntry, "model" | "params">): string {
  const suffix = Object.entries(entry.params)
    .map(([k, v]) => `${k}-${v === "" ? "none" : v.replace(/,/g, "+").replace(/[^\w+.-]/g, "-")}`)
    .join("_");
  return suffix ? `${entry.model}_${suffix}` : entry.model;
}
