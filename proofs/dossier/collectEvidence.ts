/**
 * Runs (or reuses, when still fresh) every evidence producer on a configuration set. A job whose
 * input hashes equal the cached ones is reused with its original date; a job with a changed input
 * is re-run, or — when the run may only reuse (`reuse: "only"`) — reported stale with the inputs
 * that changed. Jobs that cannot run here (no TLC jar, no test suite) give "not run" items.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import { configHash } from "./contentHash.js";
import { type CacheEntry, cacheKey, changedInputs, type EvidenceCache } from "./evidenceCache.js";
import type { EvidenceItem, ProducedItem } from "./evidenceItem.js";
import type { EvidenceJob, EvidenceOptions, EvidenceProducer, ProducerContext } from "./evidenceProducer.js";
import { evidenceProducers } from "./evidenceProducers.js";

/** auto: reuse fresh, re-run stale; only: never run, report stale; never: ignore the cache, run everything. */
export type ReuseMode = "auto" | "only" | "never";

export interface ProgressEvent {
  readonly stage: string;
  readonly job: string;
  /** 1-based position of the job among all jobs, and their number. */
  readonly index: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly status: "running" | "reused" | "stale" | "not run";
  readonly producedAt?: string;
}

export interface CollectOptions {
  readonly cache: EvidenceCache;
  readonly reuse: ReuseMode;
  readonly progress?: (event: ProgressEvent) => void;
  readonly producers?: readonly EvidenceProducer[];
}

export function producerContext(set: ConfigSet, options: EvidenceOptions): ProducerContext {
  return { set, config: configHash(set), options };
}

/** The ids the producers will make for the context, known before anything runs. */
export function plannedEvidenceIds(ctx: ProducerContext, producers = evidenceProducers): Set<string> {
  return new Set(producers.flatMap((p) => p.jobs(ctx).flatMap((j) => j.ids)));
}

const notRun = (job: EvidenceJob, reason: string, tool: string): EvidenceItem[] =>
  job.ids.map((id) => ({
    id,
    title: job.titles?.[id] ?? id,
    result: "not run",
    detail: `not run: ${reason}`,
    tool,
    params: job.params,
    ms: 0,
    inputs: job.inputs,
    producedAt: new Date().toISOString(),
    freshness: "new",
  }));

function stamp(job: EvidenceJob, item: ProducedItem, producedAt: string): EvidenceItem {
  return {
    ...item,
    params: { ...job.params, ...item.params },
    inputs: { ...job.inputs, ...item.inputs },
    producedAt,
    freshness: "new",
  };
}

export async function collectEvidence(ctx: ProducerContext, options: CollectOptions): Promise<EvidenceItem[]> {
  const started = performance.now();
  const producers = options.producers ?? evidenceProducers;
  const planned = producers.map((p) => ({ producer: p, jobs: p.jobs(ctx) }));
  const total = planned.reduce((n, p) => n + p.jobs.length, 0);
  const items: EvidenceItem[] = [];
  let index = 0;
  for (const { producer, jobs } of planned) {
    for (const job of jobs) {
      index++;
      const key = cacheKey(producer.name, job.key, job.params);
      const cached: CacheEntry | undefined = options.reuse === "never" ? undefined : options.cache.entries[key];
      const changed = cached ? changedInputs(cached.inputs, job.inputs) : [];
      const event = { stage: producer.stage, job: job.key, index, total };
      const report = (status: ProgressEvent["status"], producedAt?: string) =>
        options.progress?.({
          ...event,
          status,
          elapsedMs: performance.now() - started,
          ...(producedAt ? { producedAt } : {}),
        });
      if (cached && changed.length === 0) {
        report("reused", cached.producedAt);
        items.push(...cached.items.map((e) => ({ ...e, freshness: "reused" as const })));
      } else if (options.reuse === "only") {
        report(cached ? "stale" : "not run");
        items.push(
          ...(cached
            ? cached.items.map((e) => ({ ...e, freshness: "stale" as const, changedInputs: changed }))
            : notRun(job, "not in the evidence cache, and this run only reuses", "evidence cache")),
        );
      } else if (job.unavailable) {
        report("not run");
        items.push(...notRun(job, job.unavailable, producer.stage));
      } else {
        report("running");
        const producedAt = new Date().toISOString();
        const fresh = (await job.run()).map((item) => stamp(job, item, producedAt));
        items.push(...fresh);
        if (fresh.every((e) => e.result !== "not run"))
          options.cache.entries[key] = { inputs: job.inputs, producedAt, items: fresh };
      }
    }
  }
  return items;
}
