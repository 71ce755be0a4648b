/**
 * Forward and backward traceability between the requirements catalogue and the evidence: every
 * requirement to its evidence, every evidence item to the requirements it serves, with the
 * requirements that fall short and orphan evidence listed. A link that names no evidence item is
 * an error.
 */
import { inputError } from "../diagnostics/InputError.js";
import type { EvidenceItem } from "./evidenceItem.js";
import { strengthOf } from "./evidenceStrength.js";
import { type Requirement, requirementsFile } from "./requirements.js";

/**
 * proved: every link passes and none is sampled; tested: every link passes, sampled ones at the
 * budget the requirement demands; weak: a sampled link ran below that budget; missing: a link
 * could not run; stale: a link's inputs changed since it was produced; failed: a fresh linked or
 * supporting item fails. Supporting evidence that did not run leaves the status as it is.
 */
export type Status = "proved" | "tested" | "weak" | "missing" | "stale" | "failed";

export const isVerified = (s: Status) => s === "proved" || s === "tested";

export interface TraceRow {
  readonly requirement: Requirement;
  readonly evidence: readonly EvidenceItem[];
  readonly supporting: readonly EvidenceItem[];
  readonly status: Status;
  /** Why the status is not proved or tested, one phrase per short item (empty when verified). */
  readonly shortBecause: readonly string[];
}

export interface Traceability {
  readonly rows: readonly TraceRow[];
  readonly backward: Readonly<Record<string, readonly string[]>>;
  readonly orphans: readonly string[];
  /** Requirements whose status is neither proved nor tested. */
  readonly short: readonly string[];
}

/** Fails with the catalogue's field path for the first link no evidence producer makes. */
export function checkLinks(requirements: readonly Requirement[], ids: ReadonlySet<string>): void {
  requirements.forEach((requirement, i) => {
    for (const field of ["links", "supporting"] as const) {
      requirement[field].forEach((link, j) => {
        if (!ids.has(link)) {
          throw inputError("WRD111", `${requirement.id} links "${link}", which no evidence producer makes`, {
            file: requirementsFile,
            field: `requirements[${i}].${field}[${j}]`,
          });
        }
      });
    }
  });
}

/** Runs a sampled item was made with, or undefined when it says none. */
const runsOf = (e: EvidenceItem) => (typeof e.params.runs === "number" ? e.params.runs : undefined);

/**
 * A failed induction is not a failed requirement when the exhaustive check of the same invariant
 * passes: "not inductive" says the proof method fell short, not that a reachable state violates it.
 */
function failsRequirement(e: EvidenceItem, all: readonly EvidenceItem[]): boolean {
  if (strengthOf(e) !== "failed") return false;
  if (!e.id.startsWith("induction:")) return true;
  const check = all.find((x) => x.id === `model:${e.id.slice("induction:".length)}`);
  return !(check && strengthOf(check) === "proved");
}

export function statusOf(
  requirement: Pick<Requirement, "budget">,
  evidence: readonly EvidenceItem[],
  supporting: readonly EvidenceItem[],
): { status: Status; shortBecause: string[] } {
  const all = [...evidence, ...supporting];
  const failed = all.filter((e) => failsRequirement(e, all));
  if (failed.length) return { status: "failed", shortBecause: failed.map((e) => `${e.id} failed: ${e.detail}`) };
  const stale = evidence.filter((e) => strengthOf(e) === "stale");
  if (stale.length)
    return {
      status: "stale",
      shortBecause: stale.map((e) => `${e.id} is stale (${(e.changedInputs ?? []).join(", ")} changed)`),
    };
  const missing = evidence.filter((e) => strengthOf(e) === "missing");
  const inductionShort = evidence.filter((e) => strengthOf(e) === "failed");
  if (missing.length)
    return { status: "missing", shortBecause: missing.map((e) => `${e.id} ${e.result}: ${e.detail}`) };
  const demanded = requirement.budget?.runs;
  const weak = evidence.filter((e) => {
    const runs = runsOf(e);
    return strengthOf(e) === "tested" && demanded !== undefined && runs !== undefined && runs < demanded;
  });
  if (weak.length)
    return {
      status: "weak",
      shortBecause: weak.map((e) => `${e.id} ran ${runsOf(e)} runs, the requirement demands ${demanded}`),
    };
  const sampled = evidence.some((e) => strengthOf(e) === "tested");
  return {
    status: sampled ? "tested" : "proved",
    // Kept for the reader, though it does not lower the status: the checker's verdict stands.
    shortBecause: inductionShort.map((e) => `${e.id} not shown inductive; the exhaustive check stands`),
  };
}

export function trace(requirements: readonly Requirement[], evidence: readonly EvidenceItem[]): Traceability {
  checkLinks(requirements, new Set(evidence.map((e) => e.id)));
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const backward: Record<string, string[]> = Object.fromEntries(evidence.map((e) => [e.id, []]));
  const follow = (id: string, links: readonly string[]) =>
    links.map((link) => {
      if (!backward[link]?.includes(id)) backward[link]?.push(id);
      return byId.get(link) as EvidenceItem;
    });
  const rows = requirements.map((requirement) => {
    const linked = follow(requirement.id, requirement.links);
    const supporting = follow(requirement.id, requirement.supporting);
    return { requirement, evidence: linked, supporting, ...statusOf(requirement, linked, supporting) };
  });
  return {
    rows,
    backward,
    orphans: Object.entries(backward)
      .filter(([, r]) => r.length === 0)
      .map(([id]) => id),
    short: rows.filter((r) => !isVerified(r.status)).map((r) => r.requirement.id),
  };
}

/** The headline: "verified" only when every requirement is proved or tested at the budget it demands. */
export const verdictOf = (t: Traceability): "verified" | "not verified" =>
  t.short.length === 0 ? "verified" : "not verified";
