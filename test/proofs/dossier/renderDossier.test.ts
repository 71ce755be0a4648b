/** A failing dossier shows its counterexamples: trace text, ITF file and a Mermaid sequence. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelEvidence } from "../../../proofs/dossier/modelEvidence.js";
import { residualRisk } from "../../../proofs/dossier/residualRisk.js";
import {
  collectEvidence,
  type Dossier,
  dossierHtml,
  dossierMarkdown,
  loadEvidenceCache,
  producerContext,
  trace,
  writeDossier,
} from "../../../proofs/index.js";
import { overlappingExample } from "../../builders/overlappingExample.js";

describe("a dossier with failing evidence", () => {
  it("renders the counterexample in HTML and Markdown, writes its ITF trace and names the failing requirement", async () => {
    const out = mkdtempSync(join(tmpdir(), "warden-render-"));
    const cache = loadEvidenceCache(join(out, "evidence-cache.json"));
    const ctx = producerContext(overlappingExample(), { conformRuns: 1, conformSteps: 1, seed: 1 });
    const evidence = await collectEvidence(ctx, { cache, reuse: "auto", producers: [modelEvidence] });
    const id = "model:ResourceOwnership.NoUndeclaredSharing";
    const requirement = {
      id: "REQ-T",
      statement: "no undeclared sharing of memory",
      rationale: "the planted overlap must be found",
      links: [id],
      supporting: [],
    };
    const traceability = trace([requirement], evidence);
    const d: Dossier = {
      title: "t",
      generated: "2026-12-01T00:00:00.000Z",
      warden: "0",
      config: { files: ["x"], hash: ctx.config },
      verdict: "not verified",
      freshness: { new: evidence.length, reused: 0, stale: 0, notRun: 0 },
      evidenceCache: cache.file,
      evidence,
      traceability,
      diagrams: {},
      residualRisk: residualRisk(traceability, evidence),
    };
    expect(traceability.rows[0]?.coverage).toBe("failing");
    expect(d.residualRisk[0]).toBe(`REQ-T is failing: ${id} fail.`);
    const html = dossierHtml(d, undefined);
    expect(html).toContain(`<h3 id="cex-${id}">`);
    expect(html).toMatch(/<pre class="mermaid">\nsequenceDiagram/);
    const itf = `counterexamples/model_ResourceOwnership.NoUndeclaredSharing.itf.json`;
    expect(html).toContain(`<a href="${itf}">`);
    expect(dossierMarkdown(d)).toContain(`### ${id}: ResourceOwnership NoUndeclaredSharing`);
    writeDossier(d, out, cache, undefined);
    expect(JSON.parse(readFileSync(join(out, itf), "utf8")).states.length).toBeGreaterThan(1);
    expect(existsSync(join(out, "evidence-cache.json"))).toBe(true);
  });
});
