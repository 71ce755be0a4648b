import { describe, expect, it } from "vitest";
import { emitTla } from "../../generators/index.js";
import { checkModel, readManifest, resolveModels, runTlc, verdictName } from "../../proofs/index.js";

const jar = process.env.WARDEN_TLA2TOOLS;
if (!jar) process.stderr.write("[warden] TLC cross-check skipped: WARDEN_TLA2TOOLS is not set (CI has no TLC)\n");

describe.skipIf(!jar)("TLC agrees with Warden's checker on the manifest", () => {
  for (const entry of readManifest().filter((e) => e.runtime === "small")) {
    it(`${entry.model} ${JSON.stringify(entry.params)} has the same verdict and counts`, () => {
      const [r] = resolveModels([entry.model], entry.params);
      const model = r?.model ?? expect.unreachable();
      const ours = checkModel(model);
      const tlc = runTlc(model.name, emitTla(model, { command: "test", version: "test", inputHash: "test" }));
      expect([tlc.verdict, tlc.distinctStates, tlc.generatedStates, tlc.depth]).toEqual([
        verdictName(ours),
        ours.stats.distinctStates,
        ours.stats.generatedStates,
        ours.stats.depth,
      ]);
    }, 120_000);
  }
});
