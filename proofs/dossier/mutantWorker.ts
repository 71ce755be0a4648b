/**
 * Child-process entry (run under tsx) that measures the planted-mutant detection rate:
 * `node --import tsx mutantWorker.ts MUTANTS_FILE WORK_DIR` prints one JSON document with the
 * baseline's departures and, per mutant, which model's conformance run caught it.
 * A separate process keeps the mutated module copies out of the dossier's own module graph.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import * as real from "../../hypervisor/index.js";
import { packageRoot } from "../packageRoot.js";
import { applyMutant, baselineDepartures, caughtBy, loadCore, type MutantDefinition, probeSet } from "./mutantSuite.js";

export interface MutantOutcome {
  readonly name: string;
  readonly bug: string;
  readonly caughtBy?: string;
  readonly error?: string;
}

export interface MutantRun {
  readonly baseline: readonly string[];
  readonly mutants: readonly MutantOutcome[];
}

const [mutantsFile, workDir] = process.argv.slice(2);
if (!mutantsFile || !workDir) throw new Error("usage: mutantWorker.ts MUTANTS_FILE WORK_DIR");
try {
  const { mutants } = (await import(mutantsFile)) as { mutants: readonly MutantDefinition[] };
  const set = probeSet();
  const baseline = await baselineDepartures(real, set);
  const outcomes: MutantOutcome[] = [];
  for (const mutant of mutants) {
    const dir = applyMutant(mutant, join(packageRoot, "hypervisor"), workDir);
    if (typeof dir !== "string") {
      outcomes.push({ name: mutant.name, bug: mutant.bug, error: dir.error });
      continue;
    }
    const by = await caughtBy(await loadCore(dir), set);
    outcomes.push({ name: mutant.name, bug: mutant.bug, ...(by ? { caughtBy: by } : {}) });
  }
  const run: MutantRun = { baseline, mutants: outcomes };
  process.stdout.write(`${JSON.stringify(run)}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
