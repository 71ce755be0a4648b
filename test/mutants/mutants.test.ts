import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as real from "../../hypervisor/index.js";
import {
  applyMutant,
  baselineDepartures,
  caughtBy,
  coreImplementation,
  loadCopy,
  loadUnit,
  probeSet,
} from "../../proofs/index.js";
import { root } from "../e2e/run.js";
import { mutants } from "./mutants.js";

/** Mutated copies live inside the repository so their imports of zod and yaml resolve. */
const workDir = join(root, "test/.mutants");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("conformance catches every planted bug", () => {
  const set = probeSet();

  it("passes the real core and an unmutated copy on the probe set, so a caught mutant is the mutation's doing", {
    timeout: 300_000,
  }, async () => {
    expect(await baselineDepartures((s, m) => coreImplementation(real, s, m), set)).toEqual([]);
    const copy = applyMutant({ name: "unmutated", bug: "", file: "index.ts", edits: [] }, root, workDir);
    if (typeof copy !== "string") throw new Error(copy.error);
    expect(await baselineDepartures(await loadCopy(copy), set)).toEqual([]);
  });

  for (const mutant of mutants) {
    it(`catches ${mutant.name}: ${mutant.bug}`, { timeout: 180_000 }, async () => {
      const dir = applyMutant(mutant, root, workDir);
      if (typeof dir !== "string") throw new Error(`mutant ${mutant.name}: ${dir.error}`);
      // `warden conform` checks every model and fails if any departs; the expected one goes first to save time.
      const by = await caughtBy(await loadCopy(dir), set, undefined, mutant.model ?? "lifecycle", await loadUnit(dir));
      expect(by, `${mutant.name} survived every model's default budget`).toBeDefined();
    });
  }
});
