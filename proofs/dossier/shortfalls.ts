/**
 * What keeps the headline verdict from "verified", and how to supply it: one entry per kind of
 * evidence that is missing, stale, failed or below its requirement's budget, cross-checks that
 * could not run included, each with the requirements it holds back.
 */
import { kindOf, strengthOf } from "./evidenceStrength.js";
import type { Traceability } from "./traceability.js";

export interface Shortfall {
  /** True when it holds a requirement below proved or tested; false for a missing cross-check. */
  readonly blocking: boolean;
  readonly what: string;
  readonly supply: string;
  readonly requirements: readonly string[];
}

/** How a user supplies evidence of a kind that could not run here. */
const howToSupply: Readonly<Record<string, string>> = {
  tlc: "set WARDEN_TLA2TOOLS to a TLC 2.20 tla2tools.jar (see the README) and run again",
  mutants: "run from a Warden checkout with its test suite installed (npm ci), where test/mutants and tsx exist",
  coverage: "run from a Warden checkout with its test suite installed (npm ci)",
  "diff-core": "set WARDEN_UPSTREAM_SRC to a Jailhouse source tree (x86 sets; gcc needed)",
  "conform-upstream": "set WARDEN_UPSTREAM_SRC to a Jailhouse source tree (x86 sets; gcc needed)",
};

export function shortfalls(t: Traceability): Shortfall[] {
  const out = new Map<string, { blocking: boolean; what: string; supply: string; requirements: Set<string> }>();
  const add = (key: string, what: string, supply: string, requirement: string, blocking = true) => {
    const entry = out.get(key) ?? { blocking, what, supply, requirements: new Set<string>() };
    entry.requirements.add(requirement);
    out.set(key, entry);
  };
  for (const row of t.rows) {
    const id = row.requirement.id;
    for (const e of row.evidence) {
      const s = strengthOf(e);
      if (s === "missing")
        add(
          `missing:${kindOf(e.id)}`,
          `${kindOf(e.id)} evidence did not run (${e.detail})`,
          howToSupply[kindOf(e.id)] ?? e.detail,
          id,
        );
      else if (s === "stale")
        add("stale", "evidence is stale: its inputs changed since it was produced", "run again without --cached", id);
    }
    if (row.status === "failed")
      add(
        `failed:${id}`,
        `${id} fails`,
        "fix the system or the configuration: see the counterexample in its section",
        id,
      );
    if (row.status === "weak")
      add(
        "weak",
        `sampled evidence ran below the budget its requirement demands (${row.shortBecause.join("; ")})`,
        "run `warden dossier` or `warden verify` without --cached: both run at the requirements' budget",
        id,
      );
    for (const e of row.supporting)
      if (strengthOf(e) === "missing")
        add(
          `missing:${kindOf(e.id)}`,
          `${kindOf(e.id)} cross-check did not run (${e.detail})`,
          howToSupply[kindOf(e.id)] ?? e.detail,
          id,
          false,
        );
  }
  return [...out.values()]
    .map((e) => ({ ...e, requirements: [...e.requirements] }))
    .sort((a, b) => Number(b.blocking) - Number(a.blocking));
}
