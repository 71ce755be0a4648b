/** The evidence cache: reuse when every input is unchanged, re-run or report stale otherwise. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  collectEvidence,
  type EvidenceJob,
  type EvidenceProducer,
  loadEvidenceCache,
  loadExampleSet,
  producerContext,
  saveEvidenceCache,
} from "../../../proofs/index.js";

const ctx = producerContext(loadExampleSet("x86"), { conformRuns: 1, conformSteps: 1, seed: 1 });

/** A producer of one job per input map; `runs` counts how often each job really ran. */
function fake(inputs: Record<string, Record<string, string>>, runs: Record<string, number>, unavailable?: string) {
  const producer: EvidenceProducer = {
    name: "fake",
    stage: "fake stage",
    jobs: () =>
      Object.entries(inputs).map(
        ([key, hashes]): EvidenceJob => ({
          key,
          params: { seed: 1 },
          inputs: hashes,
          ids: [`fake:${key}`],
          ...(unavailable ? { unavailable } : {}),
          run: async () => {
            runs[key] = (runs[key] ?? 0) + 1;
            return [{ id: `fake:${key}`, title: key, result: "pass", detail: "ok", tool: "fake 1", ms: 1 }];
          },
        }),
      ),
  };
  return [producer];
}

const tempCache = () => loadEvidenceCache(join(mkdtempSync(join(tmpdir(), "warden-cache-")), "evidence-cache.json"));

describe("collectEvidence with the evidence cache", () => {
  it("reuses a job only while every input hash is unchanged, whatever inputs change", async () => {
    const hashes = fc.dictionary(
      fc.constantFrom("config", "code", "model", "tool"),
      fc.stringMatching(/^[0-9a-f]{1,3}$/),
      {
        minKeys: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(hashes, hashes, async (before, after) => {
        const cache = tempCache();
        const runs: Record<string, number> = {};
        await collectEvidence(ctx, { cache, reuse: "auto", producers: fake({ a: before }, runs) });
        const [again] = await collectEvidence(ctx, { cache, reuse: "only", producers: fake({ a: after }, runs) });
        const same = JSON.stringify(Object.entries(before).sort()) === JSON.stringify(Object.entries(after).sort());
        expect(again?.freshness).toBe(same ? "reused" : "stale");
        const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
          (k) => before[k] !== after[k],
        );
        expect(again?.changedInputs ?? []).toEqual(same ? [] : changed.sort());
        const [renewed] = await collectEvidence(ctx, { cache, reuse: "auto", producers: fake({ a: after }, runs) });
        expect(runs.a).toBe(same ? 1 : 2);
        expect(renewed?.freshness).toBe(same ? "reused" : "new");
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the original date when it reuses, survives a save and load, and ignores the cache when told to", async () => {
    const cache = tempCache();
    const runs: Record<string, number> = {};
    const producers = fake({ a: { code: "1" }, b: { code: "2" } }, runs);
    const [first] = await collectEvidence(ctx, { cache, reuse: "auto", producers });
    saveEvidenceCache(cache);
    const loaded = loadEvidenceCache(cache.file);
    const events: string[] = [];
    const [reused] = await collectEvidence(ctx, {
      cache: loaded,
      reuse: "auto",
      producers,
      progress: (e) => events.push(`${e.index}/${e.total} ${e.job} ${e.status}`),
    });
    expect(reused).toMatchObject({ freshness: "reused", producedAt: first?.producedAt });
    expect(events).toEqual(["1/2 a reused", "2/2 b reused"]);
    await collectEvidence(ctx, { cache: loaded, reuse: "never", producers });
    expect(runs).toEqual({ a: 2, b: 2 });
  });

  it("records a job that cannot run as not run, never caches it, and drops a corrupt cache with a warning", async () => {
    const cache = tempCache();
    const runs: Record<string, number> = {};
    const [item] = await collectEvidence(ctx, {
      cache,
      reuse: "auto",
      producers: fake({ a: { jar: "none" } }, runs, "no TLC jar"),
    });
    expect(item).toMatchObject({ result: "not run", detail: "not run: no TLC jar" });
    expect(runs).toEqual({});
    expect(cache.entries).toEqual({});
    writeFileSync(cache.file, '{"format":"something else"}');
    const warnings: string[] = [];
    expect(loadEvidenceCache(cache.file, (w) => warnings.push(w)).entries).toEqual({});
    expect(warnings[0]).toContain("not a Warden evidence cache");
    expect(readFileSync(cache.file, "utf8")).toContain("something else");
  });
});
