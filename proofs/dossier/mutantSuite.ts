/**
 * The planted-mutant machinery, reusable outside vitest: the probe configuration set the suite
 * runs on, applying a mutant's exact-text edits to a copy of hypervisor/, and asking whether
 * conformance catches the mutated core. The mutant definitions themselves stay with the test
 * suite (test/mutants/mutants.ts).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ConfigSet, MemoryRegion } from "../../hypervisor/index.js";
import { loadExampleSet } from "../pipeline/loadConfig.js";
import { lifecycleBinding, ownershipBinding } from "../refinement/bindings.js";
import { conform } from "../refinement/conform.js";
import { type CoreModule, coreImplementation } from "../refinement/coreImplementation.js";

export interface MutantDefinition {
  readonly name: string;
  readonly bug: string;
  readonly file: string;
  readonly edits: readonly (readonly [find: string, replace: string])[];
}

/** The conformance budget per mutant, as the suite's test uses it. */
export const mutantBudget = { runs: 100, steps: 30, seed: 7 } as const;

/**
 * The x86 example with its Linux cell 2 MiB-aligned (fast to walk), plus a cell that claims the
 * Linux cell's CPU (a create that fails after allocating) and memory root never had.
 */
export function probeSet(): ConfigSet {
  const set = loadExampleSet("x86");
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("the x86 example changed");
  const regions = linux.config.memory_regions.map((m, i) => (i === 2 ? { ...m, phys_start: 0x3b200000n } : m));
  const comm = rt.config.memory_regions[1] as MemoryRegion;
  const outside: MemoryRegion = { phys_start: 0x40000000n, virt_start: 0n, size: 0x100000n, flags: 0x7n };
  const intruder = {
    ...rt.config,
    name: "intruder",
    cpus: [3],
    msg_reply_timeout: 0n,
    memory_regions: [outside, comm],
    pio_regions: [],
  };
  return {
    ...set,
    cells: [rt, { ...linux, config: { ...linux.config, memory_regions: regions } }, { ...rt, config: intruder }],
  };
}

/**
 * Copies `coreDir` under `workDir/<mutant>` and applies the edits; each text must occur exactly
 * once, so a mutant cannot silently stop applying when the core changes. Returns the copy's
 * hypervisor folder, or why the mutant does not apply.
 */
export function applyMutant(mutant: MutantDefinition, coreDir: string, workDir: string): string | { error: string } {
  const dir = join(workDir, mutant.name, "hypervisor");
  mkdirSync(dir, { recursive: true });
  cpSync(coreDir, dir, { recursive: true });
  const path = join(dir, mutant.file);
  let text = readFileSync(path, "utf8");
  for (const [find, replace] of mutant.edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) return { error: `"${find.slice(0, 60)}" occurs ${count} times in ${mutant.file}, not once` };
    text = text.replace(find, replace);
  }
  writeFileSync(path, text);
  return dir;
}

/** Loads a (mutated) copy of the core; needs a TypeScript loader (tsx) when it is the sources. */
export async function loadCore(hypervisorDir: string): Promise<CoreModule> {
  return (await import(pathToFileURL(join(hypervisorDir, "index.ts")).href)) as CoreModule;
}

/** The model binding whose conformance run catches the core, as `warden conform` runs them (lifecycle first), or undefined. */
export async function caughtBy(core: CoreModule, set: ConfigSet, shrink = false): Promise<string | undefined> {
  for (const binding of [lifecycleBinding, ownershipBinding]) {
    const report = await conform(
      set,
      "upstream",
      (s, m) => coreImplementation(core, s, m),
      { ...mutantBudget, shrink },
      binding,
    );
    if (report.failure) return binding.name;
  }
  return undefined;
}

/** Whether the core passes every binding in both modes on the set: the baseline a caught mutant needs. */
export async function baselineDepartures(core: CoreModule, set: ConfigSet): Promise<string[]> {
  const out: string[] = [];
  for (const mode of ["upstream", "strict"] as const) {
    for (const binding of [lifecycleBinding, ownershipBinding]) {
      const report = await conform(set, mode, (s, m) => coreImplementation(core, s, m), mutantBudget, binding);
      if (report.failure)
        out.push(
          `${binding.name} ${mode}: departs at step ${report.failure.departure.step}: ${report.failure.departure.command}`,
        );
    }
  }
  return out;
}
