/** Writes the dossier's files (HTML, Markdown, JSON, memory map, counterexample ITF traces) and the evidence cache, each atomically. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite } from "../../generators/index.js";
import { type EvidenceCache, saveEvidenceCache } from "./evidenceCache.js";
import { type Dossier, dossierHtml, dossierMarkdown, itfPath, memoryMapFile } from "./renderDossier.js";
import { surfaceFile } from "./surfaceSection.js";
import { isVerified, type Status } from "./traceability.js";

export function writeDossier(d: Dossier, out: string, cache: EvidenceCache, mermaidScript: string | undefined): string {
  for (const e of d.evidence) {
    if (e.counterexample?.itf)
      atomicWrite(join(out, itfPath(e.id)), `${JSON.stringify(e.counterexample.itf, null, 1)}\n`);
  }
  saveEvidenceCache(cache);
  atomicWrite(join(out, memoryMapFile), `${d.memoryMap.svg}\n`);
  if (d.surface) atomicWrite(join(out, surfaceFile), `${d.surface.svg}\n`);
  atomicWrite(join(out, "dossier.json"), `${JSON.stringify(d, null, 1)}\n`);
  atomicWrite(join(out, "dossier.md"), dossierMarkdown(d));
  const html = join(out, "dossier.html");
  atomicWrite(html, dossierHtml(d, mermaidScript));
  return html;
}

/** The cache file of an output directory. */
export const evidenceCacheFile = (out: string) => join(out, "evidence-cache.json");

/** What a command needs to know of the dossier already in an output directory. */
export interface PreviousDossier {
  readonly revision: number;
  readonly verdict: string;
  /** Requirements that were proved or tested. */
  readonly verified: readonly string[];
}

/** The dossier in `out`, if one is there and readable (older dossiers have no revision: 0). */
export function previousDossier(out: string): PreviousDossier | undefined {
  const file = join(out, "dossier.json");
  if (!existsSync(file)) return undefined;
  try {
    const d = JSON.parse(readFileSync(file, "utf8"));
    const rows: { requirement: { id: string }; status?: Status; coverage?: string }[] = d.traceability?.rows ?? [];
    return {
      revision: typeof d.control?.revision === "number" ? d.control.revision : 0,
      verdict: String(d.verdict),
      verified: rows
        .filter((r) => (r.status ? isVerified(r.status) : r.coverage === "verified"))
        .map((r) => r.requirement.id),
    };
  } catch {
    return undefined;
  }
}

/**
 * Says so when the new dossier is weaker than the one it replaces: requirements that were proved
 * or tested and are not now. Undefined when it is not weaker.
 */
export function weakerThan(previous: PreviousDossier | undefined, d: Dossier): string | undefined {
  if (!previous) return undefined;
  const now = new Set(d.traceability.rows.filter((r) => isVerified(r.status)).map((r) => r.requirement.id));
  const lost = previous.verified.filter((id) => !now.has(id));
  if (lost.length === 0) return undefined;
  return `this dossier (revision ${previous.revision + 1}) replaces a stronger one (revision ${previous.revision}, ${previous.verdict}): ${lost.join(", ")} no longer proved or tested`;
}
