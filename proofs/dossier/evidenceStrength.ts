/**
 * How strong one evidence item is. A check over the whole instantiated space (exhaustive model
 * check, Z3 proof, exact line count, TLC) proves; a sampled run (conformance, mutants, coverage)
 * only tests, and is as strong as its budget. An item that could not run is missing, not passing.
 */
import type { EvidenceItem } from "./evidenceItem.js";

export type Strength = "proved" | "tested" | "missing" | "stale" | "failed";

/** Evidence kinds whose pass is a proof over the instantiated space; everything else is sampled. */
const provingKinds = new Set(["model", "induction", "rule", "budget", "tlc", "bitvector"]);

export const kindOf = (id: string) => id.slice(0, id.indexOf(":"));

export function strengthOf(e: EvidenceItem): Strength {
  if (e.freshness === "stale") return "stale";
  if (e.result === "fail") return "failed";
  if (e.result !== "pass") return "missing";
  return provingKinds.has(kindOf(e.id)) ? "proved" : "tested";
}

/** The budget a sampled item was run at ("100 runs × 30 steps, seed 7"), from its parameters. */
export function budgetText(e: EvidenceItem): string | undefined {
  const { runs, steps, seed } = e.params;
  if (runs === undefined) return undefined;
  return `${runs} runs${steps === undefined ? "" : ` × ${steps} steps`}${seed === undefined ? "" : `, seed ${seed}`}`;
}
