/**
 * The dossier's rendering: a failing dossier shows its counterexamples (trace text, ITF file, a
 * Mermaid sequence); a dossier short of its evidence says "not verified" and what to supply.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryMapSvg } from "../../../generators/index.js";
import type { ConfigSet } from "../../../hypervisor/index.js";
import { argumentDiagram, requirementArgument } from "../../../proofs/dossier/argumentDiagram.js";
import { modelEvidence } from "../../../proofs/dossier/modelEvidence.js";
import {
  collectEvidence,
  type Dossier,
  documentControl,
  dossierHtml,
  dossierMarkdown,
  type EvidenceItem,
  loadEvidenceCache,
  loadExampleSet,
  producerContext,
  type Requirement,
  residualRisk,
  shortfalls,
  trace,
  verdictOf,
  writeDossier,
} from "../../../proofs/index.js";
import { overlappingExample } from "../../builders/overlappingExample.js";

/** A dossier assembled as buildDossier does, from given requirements and evidence. */
function assemble(set: ConfigSet, requirements: Requirement[], evidence: EvidenceItem[], cacheFile: string): Dossier {
  const traceability = trace(requirements, evidence);
  return {
    title: "t",
    generated: "2026-12-01T00:00:00.000Z",
    warden: "0",
    config: { files: ["x"], hash: "h" },
    system: { arch: "x86", cells: [] },
    verdict: verdictOf(traceability),
    shortfalls: shortfalls(traceability),
    freshness: { new: evidence.length, reused: 0, stale: 0, notRun: 0 },
    evidenceCache: cacheFile,
    evidence,
    traceability,
    argument: argumentDiagram(traceability, "s"),
    arguments: Object.fromEntries(traceability.rows.map((r) => [r.requirement.id, requirementArgument(r)])),
    memoryMap: memoryMapSvg(set),
    diagrams: {},
    residualRisk: residualRisk(traceability, evidence),
    control: documentControl(["x"], undefined),
  };
}

const item = (id: string, result: EvidenceItem["result"], params: EvidenceItem["params"] = {}): EvidenceItem => ({
  id,
  title: id,
  result,
  detail: result === "not run" ? "not run: no TLC jar (set WARDEN_TLA2TOOLS)" : "d",
  tool: "t",
  params,
  ms: 0,
  inputs: { x: "1" },
  producedAt: "2026-12-01T00:00:00.000Z",
  freshness: "new",
});

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
    const d = assemble(overlappingExample(), [requirement], evidence, cache.file);
    expect(d.traceability.rows[0]?.status).toBe("failed");
    expect(d.verdict).toBe("not verified");
    expect(d.residualRisk.shortfalls[0]).toMatch(new RegExp(`^REQ-T is failed: ${id} failed: `));
    const html = dossierHtml(d, undefined);
    expect(html).toContain(`<h3 id="cex-${id}">`);
    expect(html).toMatch(/<pre class="mermaid">\nsequenceDiagram/);
    expect(html).toContain('<span class="badge failed">FAILED</span>');
    const itf = `counterexamples/model_ResourceOwnership.NoUndeclaredSharing.itf.json`;
    expect(html).toContain(`<a href="${itf}">`);
    expect(dossierMarkdown(d)).toContain(`### ${id}: ResourceOwnership NoUndeclaredSharing`);
    writeDossier(d, out, cache, undefined);
    expect(JSON.parse(readFileSync(join(out, itf), "utf8")).states.length).toBeGreaterThan(1);
    expect(readFileSync(join(out, "memory-map.svg"), "utf8")).toMatch(/^<svg /);
    expect(existsSync(join(out, "evidence-cache.json"))).toBe(true);
  });
});

describe("a dossier short of its evidence (planted: TLC missing, conformance below its requirement's budget)", () => {
  const requirements: Requirement[] = [
    {
      id: "REQ-PROVED",
      statement: "proved by an exhaustive check",
      rationale: "an exhaustive check proves",
      links: ["model:M.Inv"],
      supporting: ["tlc:M"],
    },
    {
      id: "REQ-SAMPLED",
      statement: "tested by conformance runs",
      rationale: "conformance samples the core",
      links: ["conform:lifecycle:upstream"],
      supporting: [],
      budget: { runs: 100, steps: 30 },
    },
  ];
  const evidence = [
    item("model:M.Inv", "pass"),
    item("tlc:M", "not run"),
    item("conform:lifecycle:upstream", "pass", { runs: 15, steps: 20, seed: 1 }),
  ];

  it("is not verified, and its summary names what is short and how to supply it", () => {
    const d = assemble(loadExampleSet("x86"), requirements, evidence, "cache.json");
    expect(d.verdict).toBe("not verified");
    expect(d.traceability.rows.map((r) => r.status)).toEqual(["proved", "weak"]);
    const [weak, tlc] = d.shortfalls;
    expect(weak?.blocking).toBe(true);
    expect(weak?.requirements).toEqual(["REQ-SAMPLED"]);
    expect(tlc?.blocking).toBe(false);
    expect(tlc?.supply).toMatch(/WARDEN_TLA2TOOLS/);
    const html = dossierHtml(d, undefined);
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('id="argument"'));
    expect(summary).toContain("Not verified: what is short, and how to supply it.");
    expect(summary).toContain("ran 15 runs, the requirement demands 100");
    expect(summary).toMatch(/Cross-checks that did not run.*WARDEN_TLA2TOOLS/s);
    expect(html).toContain('<p class="verdict not-verified" id="verdict">Verdict: not verified</p>');
  });

  it("is verified once conformance runs at the budget, the missing TLC cross-check still named", () => {
    const enough = evidence.map((e) => (e.id.startsWith("conform:") ? { ...e, params: { runs: 100, steps: 30 } } : e));
    const d = assemble(loadExampleSet("x86"), requirements, enough, "cache.json");
    expect(d.verdict).toBe("verified");
    expect(d.traceability.rows.map((r) => r.status)).toEqual(["proved", "tested"]);
    expect(d.shortfalls.map((s) => s.blocking)).toEqual([false]);
  });
});
