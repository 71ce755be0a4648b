/**
 * Child-process entry (run under tsx) measuring how many bugs planted in the virtio interrupt
 * unit conformance to VirtioMsi catches: `node --import tsx virtioMsiMutantWorker.ts MUTANTS_FILE
 * WORK_DIR` prints one JSON document. A separate process keeps the mutated copies out of the
 * dossier's own module graph.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../packageRoot.js";
import { conformVirtioMsi, type VirtioCore, virtioMutantBudget } from "../refinement/virtioMsiConform.js";
import { applyMutant, type MutantDefinition } from "./mutantSuite.js";
import type { MutantRun } from "./mutantWorker.js";

const [mutantsFile, workDir] = process.argv.slice(2);
if (!mutantsFile || !workDir) throw new Error("usage: virtioMsiMutantWorker.ts MUTANTS_FILE WORK_DIR");
const load = async (dir: string) =>
  (await import(pathToFileURL(join(dir, "hypervisor", "virtio", "index.ts")).href)) as VirtioCore;
try {
  const { virtioMsiMutants } = (await import(mutantsFile)) as { virtioMsiMutants: readonly MutantDefinition[] };
  const base = applyMutant({ name: "unmutated", bug: "", file: "virtio/index.ts", edits: [] }, packageRoot, workDir);
  if (typeof base !== "string") throw new Error(base.error);
  const departs = conformVirtioMsi(await load(base), virtioMutantBudget).departure;
  const run: MutantRun = {
    baseline: departs
      ? [`${departs.design} ${departs.arch} step ${departs.step}: ${departs.op}: ${departs.reason}`]
      : [],
    mutants: [],
  };
  const outcomes = run.mutants as MutantRun["mutants"][number][];
  for (const m of virtioMsiMutants) {
    const dir = applyMutant(m, packageRoot, workDir);
    if (typeof dir !== "string") {
      outcomes.push({ name: m.name, bug: m.bug, error: dir.error });
      continue;
    }
    const caught = conformVirtioMsi(await load(dir), virtioMutantBudget).departure !== undefined;
    outcomes.push({ name: m.name, bug: m.bug, ...(caught ? { caughtBy: "virtio-msi" } : {}) });
  }
  process.stdout.write(`${JSON.stringify(run)}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
