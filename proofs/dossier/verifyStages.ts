/** The verdict lines of `warden verify`, one per kind of evidence the dossier gathered. */
import type { EvidenceItem } from "./evidenceItem.js";
import type { Dossier } from "./renderDossier.js";
import { isVerified } from "./traceability.js";

export interface StageResult {
  readonly stage: string;
  /** ok: fresh and passing; failed: something fails; missing: not run or stale (not a failure of the system). */
  readonly status: "ok" | "FAILED" | "missing";
  readonly detail: string;
}

const reuseNote = (items: readonly EvidenceItem[]) => {
  const reused = items.filter((e) => e.freshness === "reused").length;
  return reused === 0 ? "" : reused === items.length ? " [reused, fresh]" : ` [${reused} of ${items.length} reused]`;
};

function stage(
  label: string,
  items: readonly EvidenceItem[],
  ok: (items: readonly EvidenceItem[]) => string,
): StageResult {
  const failed = items.filter((e) => e.result === "fail" && e.freshness !== "stale");
  const missing = items.filter((e) => e.result === "not run" || e.result === "inconclusive" || e.freshness === "stale");
  if (failed.length)
    return {
      stage: label,
      status: "FAILED",
      detail: `${failed.map((e) => `${e.id}: ${e.detail}`).join("; ")} (counterexamples in the dossier)`,
    };
  if (missing.length || items.length === 0)
    return {
      stage: label,
      status: "missing",
      detail: missing.map((e) => `${e.id} ${e.freshness === "stale" ? "stale" : e.detail}`).join("; ") || "no evidence",
    };
  return { stage: label, status: "ok", detail: `${ok(items)}${reuseNote(items)}` };
}

export function verifyStages(d: Dossier, html: string): StageResult[] {
  const of = (prefix: string) => d.evidence.filter((e) => e.id.startsWith(prefix));
  const model = (name: string, label: string) => stage(label, of(`model:${name}.`), (i) => i[0]?.detail ?? "");
  const verified = d.traceability.rows.filter((r) => isVerified(r.status)).length;
  const tlc = of("tlc:");
  return [
    stage("isolation proofs (Z3)", of("rule:"), (i) => `${i.length} obligations proved`),
    model("CellLifecycle", "cell lifecycle model"),
    model("ResourceOwnership", "resource ownership model"),
    model("ManagementVote", "management vote model"),
    stage("inductive invariants (Z3)", of("induction:"), (i) => `${i.length} invariants inductive`),
    ...(tlc.every((e) => e.result === "not run")
      ? [{ stage: "TLC cross-check", status: "missing" as const, detail: tlc[0]?.detail ?? "no TLC evidence" }]
      : [stage("TLC cross-check", tlc, (i) => `TLC agrees on ${i.length} models`)]),
    stage("conformance of the core to the models", of("conform:"), (i) => `${i.length} suites pass`),
    stage("planted-mutant detection", of("mutants:"), (i) => i[0]?.detail ?? ""),
    stage("test coverage of hypervisor/", of("coverage:hypervisor"), (i) => i[0]?.detail ?? ""),
    stage("conformance coverage of hypervisor/", of("coverage:conformance"), (i) => i[0]?.detail ?? ""),
    stage("code-size budget", of("budget:"), (i) =>
      i.map((e) => `${e.id.slice(7)} ${e.detail.split(" in ")[0]}`).join(", "),
    ),
    stage("reachable surface per cell", of("surface:"), (i) =>
      Object.entries(i[0]?.metrics ?? {})
        .filter(([k]) => k.endsWith(":lines"))
        .map(([k, v]) => `${k.slice(0, -":lines".length)} ${v}`)
        .join(", ")
        .concat(" reachable code lines"),
    ),
    stage("agreement with upstream Jailhouse's C core", [...of("diff-core:"), ...of("conform-upstream:")], (i) =>
      i.map((e) => e.detail).join("; "),
    ),
    {
      stage: "certification dossier",
      status: d.verdict === "verified" ? "ok" : d.evidence.some((e) => e.result === "fail") ? "FAILED" : "missing",
      detail: `${verified} of ${d.traceability.rows.length} requirements proved or tested${
        d.traceability.short.length
          ? `; short: ${d.shortfalls
              .filter((s) => s.blocking)
              .map((s) => s.what)
              .join("; ")}`
          : ""
      }; ${html}`,
    },
  ];
}
