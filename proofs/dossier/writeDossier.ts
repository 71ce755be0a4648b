/** Writes the dossier's files (HTML, Markdown, JSON, counterexample ITF traces) and the evidence cache, each atomically. */
import { join } from "node:path";
import { atomicWrite } from "../../generators/index.js";
import { type EvidenceCache, saveEvidenceCache } from "./evidenceCache.js";
import { type Dossier, dossierHtml, dossierMarkdown, itfPath } from "./renderDossier.js";

export function writeDossier(d: Dossier, out: string, cache: EvidenceCache, mermaidScript: string | undefined): string {
  for (const e of d.evidence) {
    if (e.counterexample?.itf)
      atomicWrite(join(out, itfPath(e.id)), `${JSON.stringify(e.counterexample.itf, null, 1)}\n`);
  }
  saveEvidenceCache(cache);
  atomicWrite(join(out, "dossier.json"), `${JSON.stringify(d, null, 1)}\n`);
  atomicWrite(join(out, "dossier.md"), dossierMarkdown(d));
  const html = join(out, "dossier.html");
  atomicWrite(html, dossierHtml(d, mermaidScript));
  return html;
}

/** The cache file of an output directory. */
export const evidenceCacheFile = (out: string) => join(out, "evidence-cache.json");
