/**
 * Forward and backward traceability between the requirements catalogue and the evidence: every
 * requirement to its evidence, every evidence item to the requirements it serves, with uncovered
 * requirements and orphan evidence listed. A link that names no evidence item is an error.
 */
import { inputError } from "../diagnostics/InputError.js";
import { type EvidenceItem, freshPass } from "./evidenceItem.js";
import { type Requirement, requirementsFile } from "./requirements.js";

export type Coverage = "verified" | "failing" | "stale" | "incomplete";

export interface TraceRow {
  readonly requirement: Requirement;
  readonly evidence: readonly EvidenceItem[];
  readonly supporting: readonly EvidenceItem[];
  /**
   * verified: all linked evidence is fresh and passes; failing: a fresh linked or supporting item
   * fails; stale: a linked item's inputs changed since it was produced; incomplete: some linked
   * item is inconclusive or was not run. Supporting evidence that did not run leaves it verified.
   */
  readonly coverage: Coverage;
}

export interface Traceability {
  readonly rows: readonly TraceRow[];
  readonly backward: Readonly<Record<string, readonly string[]>>;
  readonly orphans: readonly string[];
  /** Requirements without fresh, passing evidence for every link. */
  readonly uncovered: readonly string[];
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

export function coverageOf(evidence: readonly EvidenceItem[], supporting: readonly EvidenceItem[]): Coverage {
  if ([...evidence, ...supporting].some((e) => e.result === "fail" && e.freshness !== "stale")) return "failing";
  if (evidence.some((e) => e.freshness === "stale")) return "stale";
  return evidence.every(freshPass) ? "verified" : "incomplete";
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
    return { requirement, evidence: linked, supporting, coverage: coverageOf(linked, supporting) };
  });
  return {
    rows,
    backward,
    orphans: Object.entries(backward)
      .filter(([, r]) => r.length === 0)
      .map(([id]) => id),
    uncovered: rows.filter((r) => r.coverage !== "verified").map((r) => r.requirement.id),
  };
}
