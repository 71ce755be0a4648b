/**
 * The shape of an evidence producer. Each producer splits its work into jobs; a job is the unit
 * the evidence cache stores, keyed by producer, job key and parameters, and checked for
 * staleness by its input hashes — all known before the job runs.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import type { ProducedItem } from "./evidenceItem.js";

export interface EvidenceOptions {
  readonly conformRuns: number;
  readonly conformSteps: number;
  readonly seed: number;
}

export interface ProducerContext {
  readonly set: ConfigSet;
  /** configHash(set), computed once. */
  readonly config: string;
  readonly options: EvidenceOptions;
}

export interface EvidenceJob {
  /** Unique within the producer, e.g. the model's name. */
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** Content hashes of everything the job's result depends on, the tool's own code included. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The evidence ids the job makes, known up front (the catalogue's links are checked against them). */
  readonly ids: readonly string[];
  /** Why the job cannot run here (no TLC jar, no test suite); its items are then "not run". */
  readonly unavailable?: string;
  /** Titles of the items for a "not run" record. */
  readonly titles?: Readonly<Record<string, string>>;
  readonly run: () => Promise<readonly ProducedItem[]>;
}

export interface EvidenceProducer {
  /** Short name, part of the cache key and of the evidence ids' prefix. */
  readonly name: string;
  /** What the progress display says while it runs. */
  readonly stage: string;
  readonly jobs: (ctx: ProducerContext) => readonly EvidenceJob[];
}
