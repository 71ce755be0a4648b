/**
 * The "assumptions and residual risk" section, generated from what this dossier does and does
 * not show: requirements that fall short and why, evidence that did not run or is stale, what the
 * models found about upstream Jailhouse itself, and the bounds of each kind of argument.
 */
import type { EvidenceItem } from "./evidenceItem.js";
import { budgetText } from "./evidenceStrength.js";
import type { Traceability } from "./traceability.js";

export interface ResidualRisk {
  /** What this dossier falls short of: per requirement, then per evidence item. */
  readonly shortfalls: readonly string[];
  /** Weaknesses of upstream Jailhouse the models and the core found, with where they are shown. */
  readonly upstream: readonly string[];
  /** How far each kind of argument reaches. */
  readonly bounds: readonly string[];
}

const served = (t: Traceability, id: string) => (t.backward[id] ?? []).join(", ") || "no requirement";

/** Found by Warden's models and core, each reproduced by a test or a model check named here. */
export const upstreamFindings: readonly string[] = [
  "With a reply timeout of 0, a cell that halts in FAILED_COMM_REV or stays silent freezes the root cell, the post-commit RECONFIG_COMPLETED broadcast included (ManagementVote: ExchangeEnds and CallsReturn fail with timeout 0).",
  "A cell may lock itself while another cell's vote is being polled, so a destroy can commit while a cell is locked (ManagementVote design=true: LockHeldAtCommit fails).",
  "A cell whose reply times out on any message is failed, the RECONFIG_COMPLETED broadcast after a create or destroy included, although it only missed an information message (cell_exchange_message; CellLifecycle models it).",
  "A cell with an empty CPU set is accepted; once started it can never answer, so with timeout 0 every later management call hangs (found by conformance on generated sets).",
  "Jailhouse does not check that non-root cells' memory is disjoint: overlapping cells are created (ResourceOwnership, upstream mode: NoUndeclaredSharing and RootIsolated are violated; rule WRD-MEM-DISJOINT checks configurations for it).",
  "Destroy gives memory back to root region by region; under page-pool pressure an early give-back fails with only a warning and root loses that memory for good (hypervisor/README: deliberate difference of the TypeScript core).",
];

function bounds(evidence: readonly EvidenceItem[]): string[] {
  const budgets = [...new Set(evidence.filter((e) => e.id.startsWith("conform:")).flatMap((e) => budgetText(e) ?? []))];
  const coverage = evidence.find((e) => e.id === "coverage:hypervisor" && e.metrics);
  return [
    "Model checks are exhaustive for the models instantiated from this configuration set (its cells, CPUs and vote settings), within the models' abstraction: caches, DMA outside the IOMMU, interrupt timing and firmware are not modelled.",
    "Inductive invariants are proved for the same fixed parameters; a model's CONSTRAINT is not assumed.",
    "Isolation proofs hold for the configuration as Warden decodes it; they trust the decoder, Z3 and the rule's statement of what upstream's hypervisor enforces.",
    `Conformance is sampled, not exhaustive: random runs of bounded length (${budgets.join("; ") || "no run"}) of the TypeScript core against the models; the planted-mutant rate measures how sharp that sampling is, on the x86 probe set only.`,
    "The conformance evidence is about Warden's TypeScript core; the real C hypervisor is covered only where a harness ran (`warden conform --impl`, `--upstream-src`).",
    ...(coverage?.metrics
      ? [
          `${(100 - (coverage.metrics.branches ?? 0)).toFixed(1)} % of the branches of hypervisor/ are not executed by its own tests (test/hypervisor); conformance and end-to-end tests are not counted.`,
        ]
      : []),
    "Trusted tools: Warden's explicit-state checker, Z3 through z3-solver (wasm), vitest's V8 coverage, Node.js.",
  ];
}

export function residualRisk(t: Traceability, evidence: readonly EvidenceItem[]): ResidualRisk {
  const out: string[] = [];
  for (const r of t.rows.filter((row) => row.shortBecause.length))
    out.push(`${r.requirement.id} is ${r.status}: ${r.shortBecause.join("; ")}.`);
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
  return { shortfalls: out, upstream: upstreamFindings, bounds: bounds(evidence) };
}
