/** One progress line of a dossier run: position among the jobs, stage, job, what happens, elapsed time. */
import type { ProgressEvent } from "./collectEvidence.js";

export function progressLine(prefix: string, e: ProgressEvent): string {
  const what =
    e.status === "running"
      ? "running"
      : e.status === "reused"
        ? `reused, fresh (produced ${e.producedAt})`
        : e.status === "stale"
          ? "STALE (inputs changed; not re-run)"
          : "not run";
  const width = String(e.total).length;
  return `[${prefix}] ${String(e.index).padStart(width)}/${e.total} ${e.stage}: ${e.job} ${what} (${(e.elapsedMs / 1000).toFixed(1)} s elapsed)\n`;
}
