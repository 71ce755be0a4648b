/** TLC as supporting evidence: agreement with Warden's checker when the jar is there, "not run" when it is not. */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tlcEvidence } from "../../../proofs/dossier/tlcEvidence.js";
import { collectEvidence, loadEvidenceCache, loadExampleSet, producerContext } from "../../../proofs/index.js";

const jar = process.env.WARDEN_TLA2TOOLS;
if (!jar) process.stderr.write("[warden] TLC dossier evidence test skipped: WARDEN_TLA2TOOLS is not set\n");
const ctx = () => producerContext(loadExampleSet("x86"), { conformRuns: 1, conformSteps: 1, seed: 1 });
const cache = () => loadEvidenceCache(join(tmpdir(), `warden-tlc-cache-${process.pid}-${Math.random()}.json`));

describe("tlcEvidence", () => {
  afterEach(() => {
    if (jar === undefined) delete process.env.WARDEN_TLA2TOOLS;
    else process.env.WARDEN_TLA2TOOLS = jar;
  });

  it("records every model as not run, with the reason, when the jar is missing", async () => {
    process.env.WARDEN_TLA2TOOLS = "/nonexistent/tla2tools.jar";
    const items = await collectEvidence(ctx(), { cache: cache(), reuse: "auto", producers: [tlcEvidence] });
    expect(items.map((e) => e.id)).toEqual([
      "tlc:CellLifecycle",
      "tlc:ResourceOwnership",
      "tlc:ManagementVote",
      "tlc:VirtioMsi",
      "tlc:NestedEpt",
    ]);
    for (const e of items) expect(e).toMatchObject({ result: "not run", detail: expect.stringMatching(/no TLC jar/) });
  });

  it.skipIf(!jar)(
    "passes when TLC's counts and verdict equal the checker's, per model",
    { timeout: 300_000 },
    async () => {
      const items = await collectEvidence(ctx(), { cache: cache(), reuse: "auto", producers: [tlcEvidence] });
      for (const e of items) {
        expect(e.result, e.detail).toBe("pass");
        expect(e.metrics?.distinctStates).toBe(e.metrics?.wardenDistinctStates);
        expect(e.tool).toMatch(/TLC2 Version 2\./);
      }
    },
  );
});
