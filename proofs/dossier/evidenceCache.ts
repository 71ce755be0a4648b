/**
 * The evidence cache (`evidence-cache.json` in the dossier's output directory): per job, keyed by
 * producer, job key and parameters, the input hashes and the items it produced. A later run
 * reuses a job's items when every input hash is unchanged. Written atomically; an unreadable
 * cache is dropped (it is derived data), never trusted.
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { atomicWrite } from "../../generators/index.js";
import type { EvidenceItem } from "./evidenceItem.js";

const entrySchema = z.object({
  inputs: z.record(z.string(), z.string()),
  producedAt: z.string(),
  items: z.array(z.looseObject({ id: z.string(), result: z.enum(["pass", "fail", "inconclusive"]) })),
});
const cacheSchema = z.object({
  format: z.literal("warden-evidence-cache/1"),
  entries: z.record(z.string(), entrySchema),
});

export interface CacheEntry {
  readonly inputs: Readonly<Record<string, string>>;
  readonly producedAt: string;
  readonly items: readonly EvidenceItem[];
}

export interface EvidenceCache {
  readonly file: string;
  readonly entries: Record<string, CacheEntry>;
}

export function loadEvidenceCache(file: string, warn: (message: string) => void = () => {}): EvidenceCache {
  if (!existsSync(file)) return { file, entries: {} };
  try {
    const parsed = cacheSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    return { file, entries: parsed.entries as unknown as Record<string, CacheEntry> };
  } catch {
    warn(`${file}: not a Warden evidence cache; it is ignored and rewritten`);
    return { file, entries: {} };
  }
}

export function saveEvidenceCache(cache: EvidenceCache): void {
  const sorted = Object.fromEntries(Object.entries(cache.entries).sort(([a], [b]) => a.localeCompare(b)));
  atomicWrite(cache.file, `${JSON.stringify({ format: "warden-evidence-cache/1", entries: sorted }, null, 1)}\n`);
}

/** The cache key of a job: producer, job and its parameters (in key order, so equal params give equal keys). */
export function cacheKey(producer: string, job: string, params: Readonly<Record<string, string | number>>): string {
  const p = Object.entries(params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return `${producer}/${job}${p ? `?${p}` : ""}`;
}

/** The input names whose hash differs between the cached and the current job (added and removed ones too). */
export function changedInputs(
  cached: Readonly<Record<string, string>>,
  now: Readonly<Record<string, string>>,
): string[] {
  const names = new Set([...Object.keys(cached), ...Object.keys(now)]);
  return [...names].filter((n) => cached[n] !== now[n]).sort();
}
