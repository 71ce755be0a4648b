/**
 * One piece of evidence: what was checked, the result, by which tool and version, with which
 * parameters and seed, how long it took, the content hashes of its inputs, when it was produced
 * and whether that is still current.
 */
export type EvidenceResult = "pass" | "fail" | "inconclusive" | "not run";

/**
 * new: produced by this run; reused: taken from the evidence cache, its inputs unchanged (fresh);
 * stale: from the cache, but an input changed since (only when a run reuses without re-running).
 */
export type Freshness = "new" | "reused" | "stale";

export interface Counterexample {
  /** A readable trace or witness list (plain text, monospace). */
  readonly text: string;
  /** The same as an ITF trace, when it is a model trace (written next to the dossier). */
  readonly itf?: unknown;
  /** The same as a Mermaid sequence diagram, when it is a model trace. */
  readonly sequence?: string;
}

export interface EvidenceItem {
  readonly id: string;
  readonly title: string;
  readonly result: EvidenceResult;
  readonly detail: string;
  readonly tool: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly ms: number;
  /** Content hashes (sha256, 16 hex digits) of what the result depends on. */
  readonly inputs: Readonly<Record<string, string>>;
  /** When the result was produced (ISO 8601); older than the dossier when reused. */
  readonly producedAt: string;
  readonly freshness: Freshness;
  /** Set when freshness is stale: the inputs whose hash differs now. */
  readonly changedInputs?: readonly string[];
  readonly counterexample?: Counterexample;
  /** The numbers behind the result (states, percentages, lines), for charts and the JSON. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** What a producer's job returns: items before the cache stamps their date and freshness. */
export type ProducedItem = Omit<EvidenceItem, "producedAt" | "freshness" | "changedInputs" | "inputs" | "params"> & {
  /** Inputs beyond the job's (e.g. the one obligation's hash); merged over the job's. */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly params?: Readonly<Record<string, string | number>>;
};

/** Fresh and passing: what a requirement needs from each of its links to count as verified. */
export const freshPass = (e: EvidenceItem): boolean => e.result === "pass" && e.freshness !== "stale";
