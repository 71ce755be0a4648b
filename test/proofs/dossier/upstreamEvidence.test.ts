/** Agreement with upstream Jailhouse as dossier evidence: "not run" (requirement missing) without a tree, passing with one. */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { upstreamEvidence } from "../../../proofs/dossier/upstreamEvidence.js";
import { collectEvidence, loadEvidenceCache, loadExampleSet, producerContext } from "../../../proofs/index.js";

const upstream = process.env.WARDEN_UPSTREAM_SRC;
if (!upstream)
  process.stderr.write("[warden] upstream dossier evidence test skipped: WARDEN_UPSTREAM_SRC is not set\n");
const ctx = (example: "x86" | "arm64") =>
  producerContext(loadExampleSet(example), { conformRuns: 5, conformSteps: 10, seed: 1 });
const cache = () => loadEvidenceCache(join(tmpdir(), `warden-upstream-cache-${process.pid}-${Math.random()}.json`));

describe("upstreamEvidence", () => {
  afterEach(() => {
    if (upstream === undefined) delete process.env.WARDEN_UPSTREAM_SRC;
    else process.env.WARDEN_UPSTREAM_SRC = upstream;
  });

  it("is not run, with the reason, when no upstream tree is given or the set is not x86", async () => {
    delete process.env.WARDEN_UPSTREAM_SRC;
    const items = await collectEvidence(ctx("x86"), { cache: cache(), reuse: "auto", producers: [upstreamEvidence] });
    expect(items.map((e) => e.id)).toEqual(["diff-core:upstream", "conform-upstream:lifecycle"]);
    for (const e of items)
      expect(e).toMatchObject({ result: "not run", detail: expect.stringMatching(/WARDEN_UPSTREAM_SRC/) });
    process.env.WARDEN_UPSTREAM_SRC = "/somewhere";
    const arm = await collectEvidence(ctx("arm64"), { cache: cache(), reuse: "auto", producers: [upstreamEvidence] });
    for (const e of arm) expect(e).toMatchObject({ result: "not run", detail: expect.stringMatching(/x86/) });
  });

  it.skipIf(!upstream)("passes on the x86 example and names the upstream commit", { timeout: 300_000 }, async () => {
    const items = await collectEvidence(ctx("x86"), { cache: cache(), reuse: "auto", producers: [upstreamEvidence] });
    for (const e of items) {
      expect(e.result, e.detail).toBe("pass");
      expect(e.tool).toMatch(/upstream Jailhouse [0-9a-f]{40}|upstream Jailhouse unknown/);
    }
  });
});
