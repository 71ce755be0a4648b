import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as real from "../../hypervisor/index.js";
import { applyMutant } from "../../proofs/index.js";
import { conformNestedEpt, nestedMutantBudget } from "../../proofs/refinement/nestedEptConform.js";
import type { NestedCore } from "../../proofs/refinement/nestedEptSystem.js";
import { root } from "../e2e/run.js";
import { nestedEptMutants } from "./nestedEptMutants.js";

const workDir = mkdtempSync(join(tmpdir(), "warden-nested-mutants-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const budget = nestedMutantBudget;
const load = async (dir: string): Promise<NestedCore> =>
  (await import(pathToFileURL(join(dir, "hypervisor", "index.ts")).href)) as NestedCore;

describe("conformance to NestedEpt catches every bug planted in the nested-VMX code", () => {
  it("passes the real core and an unmutated copy, covering every action of the model", async () => {
    const report = conformNestedEpt(real, budget);
    expect(report.departure).toBeUndefined();
    expect(report.covered).toEqual([
      "CellCreate",
      "CellDestroy",
      "HvFinishWrite",
      "HvKick",
      "HvTrap",
      "HvValidate",
      "KvmInvept",
      "KvmLoad",
      "KvmWrite",
      "NestedEnter",
      "NestedExit",
    ]);
    const copy = applyMutant({ name: "unmutated", bug: "", file: "arch/x86/vmx.ts", edits: [] }, root, workDir);
    if (typeof copy !== "string") throw new Error(copy.error);
    expect(conformNestedEpt(await load(copy), budget).departure).toBeUndefined();
  }, 120_000);

  for (const mutant of nestedEptMutants) {
    it(`catches ${mutant.name}: ${mutant.bug}`, async () => {
      const dir = applyMutant(mutant, root, workDir);
      if (typeof dir !== "string") throw new Error(`mutant ${mutant.name}: ${dir.error}`);
      const report = conformNestedEpt(await load(dir), budget);
      expect(report.departure, `${mutant.name} survived ${budget.runs} runs of ${budget.steps} steps`).toBeDefined();
    }, 60_000);
  }
});
