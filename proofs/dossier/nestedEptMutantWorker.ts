/**
 * Child-process entry (run under tsx) measuring how many bugs planted in the nested-VMX code
 * conformance to NestedEpt catches: `node --import tsx nestedEptMutantWorker.ts MUTANTS_FILE
 * WORK_DIR` prints one JSON document (a `MutantRun`). A separate process keeps the mutated
 * copies out of the dossier's own module graph.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../packageRoot.js";
import { conformNestedEpt, nestedMutantBudget } from "../refinement/nestedEptConform.js";
import type { NestedCore } from "../refinement/nestedEptSystem.js";
import { applyMutant, type MutantDefinition } from "./mutantSuite.js";
import type { MutantRun } from "./mutantWorker.js";

const [mutantsFile, workDir] = process.argv.slice(2);
if (!mutantsFile || !workDir) throw new Error("usage: nestedEptMutantWorker.ts MUTANTS_FILE WORK_DIR");
const load = async (dir: string) =>
  (await import(pathToFileURL(join(dir, "hypervisor", "index.ts")).href)) as NestedCore;
try {
  const { nestedEptMutants } = (await import(mutantsFile)) as { nestedEptMutants: readonly MutantDefinition[] };
  const base = applyMutant({ name: "unmutated", bug: "", file: "arch/x86/vmx.ts", edits: [] }, packageRoot, workDir);
  if (typeof base !== "string") throw new Error(base.error);
  const departs = conformNestedEpt(await load(base), nestedMutantBudget).departure;
  const run: MutantRun = {
    baseline: departs ? [`run ${departs.run} step ${departs.step}: ${departs.op}: ${departs.reason}`] : [],
    mutants: [],
  };
  const outcomes = run.mutants as MutantRun["mutants"][number][];
  for (const m of nestedEptMutants) {
    const dir = applyMutant(m, packageRoot, workDir);
    if (typeof dir !== "string") {
      outcomes.push({ name: m.name, bug: m.bug, error: dir.error });
      continue;
    }
    const caught = conformNestedEpt(await load(dir), nestedMutantBudget).departure !== undefined;
    outcomes.push({ name: m.name, bug: m.bug, ...(caught ? { caughtBy: "nested-ept" } : {}) });
  }
  process.stdout.write(`${JSON.stringify(run)}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
