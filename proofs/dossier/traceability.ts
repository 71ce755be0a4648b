/**
 * Forward and backward traceability between the requirements catalogue and the evidence: every
 * requirement to its evidence, every evidence item to the requirements it serves, with uncovered
 * requirements and orphan evidence listed. A link that names no evidence item is an error.
 */
import { inputError } from "../diagnostics/InputError.js";
import type { EvidenceItem } from "./evidence.js";
import { type Requirement, requirementsFile } from "./requirements.js";

export type Coverage = "verified" | "failing" | "incomplete";

export interface TraceRow {
  readonly requirement: Requirement;
  readonly evidence: readonly EvidenceItem[];
  /** verified: all linked evidence passes; failing: some fails; incomplete: none fails but some is inconclusive. */
  readonly coverage: Coverage;
}

export interface Traceability {
  readonly rows: readonly TraceRow[];
  readonly backward: Readonly<Record<string, readonly string[]>>;
  readonly orphans: readonly string[];
}

/** Fails with the catalogue's field path for the first link no evidence producer makes. */
export function checkLinks(requirements: readonly Requirement[], ids: ReadonlySet<string>): void {
  requirements.forEach((requirement, i) => {
    requirement.links.forEach((link, j) => {
      if (!ids.has(link)) {
        throw inputError("WRD111", `${requirement.id} links "${link}", which no evidence producer makes`, {
          file: requirementsFile,
          field: `requirements[${i}].links[${j}]`,
        });
      }
    });
  });
}

export function trace(requirements: readonly Requirement[], evidence: readonly EvidenceItem[]): Traceability {
  checkLinks(requirements, new Set(evidence.map((e) => e.id)));
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const backward: Record<string, string[]> = Object.fromEntries(evidence.map((e) => [e.id, []]));
  const rows = requirements.map((requirement) => {
    const linked = requirement.links.map((link) => {
      backward[link]?.push(requirement.id);
      return byId.get(link) as EvidenceItem;
    });
    const coverage: Coverage = linked.some((e) => e.result === "fail")
      ? "failing"
      : linked.some((e) => e.result !== "pass")
        ? "incomplete"
        : "verified";
    return { requirement, evidence: linked, coverage };
  });
  return {
    rows,
    backward,
    orphans: Object.entries(backward)
      .filter(([, r]) => r.length === 0)
      .map(([id]) => id),
  };
}
