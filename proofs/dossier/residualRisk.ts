/**
 * The "assumptions and residual risk" section, generated from what this dossier does and does
 * not show: requirements without fresh passing evidence, evidence that did not run or is stale,
 * supporting cross-checks that are missing, orphans, then the standing assumptions.
 */
import type { EvidenceItem } from "./evidenceItem.js";
import type { Traceability } from "./traceability.js";

const served = (t: Traceability, id: string) => (t.backward[id] ?? []).join(", ") || "no requirement";

export function residualRisk(t: Traceability, evidence: readonly EvidenceItem[]): string[] {
  const out: string[] = [];
  for (const r of t.rows.filter((row) => row.coverage !== "verified")) {
    const bad = [...r.evidence, ...r.supporting].filter((e) => e.result !== "pass" || e.freshness === "stale");
    out.push(
      `${r.requirement.id} is ${r.coverage}: ${bad.map((e) => `${e.id} ${e.freshness === "stale" ? "stale" : e.result}`).join(", ")}.`,
    );
  }
  const tlc = evidence.filter((e) => e.id.startsWith("tlc:") && e.result === "not run");
  if (tlc.length) {
    out.push(
      `TLC did not run (${tlc[0]?.detail.replace(/^not run: /, "")}): Warden's explicit-state checker is not cross-checked against TLC on ${tlc.map((e) => e.id.slice(4)).join(", ")} in this dossier, so its verdicts for ${[...new Set(tlc.flatMap((e) => t.backward[e.id] ?? []))].join(", ")} rest on the checker alone (it agrees with TLC 2.20 on the model manifest in Warden's own tests).`,
    );
  }
  for (const e of evidence.filter((x) => x.result === "not run" && !x.id.startsWith("tlc:")))
    out.push(`${e.id} (${served(t, e.id)}) ${e.detail}.`);
  for (const e of evidence.filter((x) => x.freshness === "stale"))
    out.push(
      `${e.id} is stale: ${(e.changedInputs ?? []).join(", ")} changed since it was produced (${e.producedAt}); run without --cached to renew it.`,
    );
  for (const id of t.orphans) out.push(`Evidence ${id} serves no requirement in the catalogue.`);
  const coverage = evidence.find((e) => e.id === "coverage:hypervisor" && e.metrics);
  if (coverage?.metrics)
    out.push(
      `${(100 - (coverage.metrics.branches ?? 0)).toFixed(1)} % of the branches of hypervisor/ are not executed by its own tests (test/hypervisor); conformance and end-to-end tests are not counted.`,
    );
  out.push(
    "The models abstract the hardware: caches, DMA outside the IOMMU, interrupt timing and firmware are not modelled.",
    "Conformance is sampled (random runs of bounded length with a fixed seed), not exhaustive; the planted-mutant rate measures how sharp that sampling is, on the x86 probe set only.",
    "The conformance evidence is about Warden's TypeScript core; the real C hypervisor is covered only when a harness has been run with `warden conform --impl`.",
    "Trusted tools: Warden's explicit-state checker, Z3 through z3-solver (wasm), vitest's V8 coverage, Node.js.",
  );
  return out;
}
