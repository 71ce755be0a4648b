/**
 * Child-process entry (run under tsx) that measures the planted-mutant detection rate:
 * `node --import tsx mutantWorker.ts MUTANTS_FILE WORK_DIR` prints one JSON document with the
 * baseline's departures and, per mutant, which model's conformance run caught it.
 * A separate process keeps the mutated module copies out of the dossier's own module graph.
 */
import { rmSync } from "node:fs";
import { packageRoot } from "../packageRoot.js";
import {
  applyMutant,
  baselineDepartures,
  caughtBy,
  loadCopy,
  loadUnit,
  type MutantDefinition,
  mutantBindings,
  probeSet,
} from "./mutantSuite.js";

export interface MutantOutcome {
  readonly name: string;
  readonly bug: string;
  readonly caughtBy?: string;
  readonly error?: string;
}

export interface MutantRun {
  /** Where the unmutated copy departs; those bindings are not used to catch mutants. */
  readonly baseline: readonly string[];
  readonly mutants: readonly MutantOutcome[];
}

const [mutantsFile, workDir] = process.argv.slice(2);
if (!mutantsFile || !workDir) throw new Error("usage: mutantWorker.ts MUTANTS_FILE WORK_DIR");
try {
  const { mutants } = (await import(mutantsFile)) as { mutants: readonly MutantDefinition[] };
  const set = probeSet();
  const unmutated = applyMutant({ name: "unmutated", bug: "", file: "index.ts", edits: [] }, packageRoot, workDir);
  if (typeof unmutated !== "string") throw new Error(unmutated.error);
  const departures = await baselineDepartures(await loadCopy(unmutated), set);
  const usable = mutantBindings.map((b) => b.name).filter((b) => !departures.some((d) => d.binding === b));
  const outcomes: MutantOutcome[] = [];
  for (const mutant of mutants) {
    const dir = applyMutant(mutant, packageRoot, workDir);
    if (typeof dir !== "string") {
      outcomes.push({ name: mutant.name, bug: mutant.bug, error: dir.error });
      continue;
    }
    const by = await caughtBy(await loadCopy(dir), set, usable, mutant.model, await loadUnit(dir));
    outcomes.push({ name: mutant.name, bug: mutant.bug, ...(by ? { caughtBy: by } : {}) });
  }
  const run: MutantRun = { baseline: departures.map((d) => d.detail), mutants: outcomes };
  process.stdout.write(`${JSON.stringify(run)}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
