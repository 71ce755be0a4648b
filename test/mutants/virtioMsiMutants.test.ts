import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as real from "../../hypervisor/index.js";
import { applyMutant, conformVirtioMsi, type VirtioCore, virtioMutantBudget } from "../../proofs/index.js";
import { root } from "../e2e/run.js";
import { virtioMsiMutants } from "./virtioMsiMutants.js";

/** The unit imports nothing outside hypervisor/virtio/, so its copies can live in a temporary folder. */
const workDir = mkdtempSync(join(tmpdir(), "warden-msi-mutants-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const budget = virtioMutantBudget;
const load = async (dir: string): Promise<VirtioCore> =>
  (await import(pathToFileURL(join(dir, "hypervisor", "virtio", "index.ts")).href)) as VirtioCore;

describe("conformance to VirtioMsi catches every bug planted in the virtio interrupt unit", () => {
  it("passes the real unit and an unmutated copy, covering every action of the model", async () => {
    const report = conformVirtioMsi(real, budget);
    expect(report.departure).toBeUndefined();
    expect(report.covered).toEqual([
      "ConfigChange",
      "Deliver",
      "QueueNotify",
      "SelectVector",
      "WriteEntry",
      "WriteMask",
    ]);
    const copy = applyMutant({ name: "unmutated", bug: "", file: "virtio/index.ts", edits: [] }, root, workDir);
    if (typeof copy !== "string") throw new Error(copy.error);
    expect(conformVirtioMsi(await load(copy), budget).departure).toBeUndefined();
  }, 60_000);

  for (const mutant of virtioMsiMutants) {
    it(`catches ${mutant.name}: ${mutant.bug}`, async () => {
      const dir = applyMutant(mutant, root, workDir);
      if (typeof dir !== "string") throw new Error(`mutant ${mutant.name}: ${dir.error}`);
      const report = conformVirtioMsi(await load(dir), budget);
      expect(
        report.departure,
        `${mutant.name} survived ${budget.runs} runs of ${budget.steps} steps per design`,
      ).toBeDefined();
    }, 60_000);
  }
});
