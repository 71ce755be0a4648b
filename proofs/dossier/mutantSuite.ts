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
import { bindings, type ModelBinding } from "../refinement/bindings.js";
import { conform } from "../refinement/conform.js";
import { type CoreModule, coreImplementation } from "../refinement/coreImplementation.js";
import type { ImplementationFactory } from "../refinement/implementation.js";
import { conformVirtioMsi, type VirtioCore, virtioMutantBudget } from "../refinement/virtioMsiConform.js";

export interface MutantDefinition {
  readonly name: string;
  readonly bug: string;
  readonly file: string;
  readonly edits: readonly (readonly [find: string, replace: string])[];
  /** The binding expected to catch it, tried first to save time; the others follow. */
  readonly model?: string;
}

/** The conformance budget per mutant, as the suite's test uses it. */
export const mutantBudget = { runs: 500, steps: 30, seed: 7 } as const;

/**
 * The x86 example with its Linux cell 2 MiB-aligned (fast to walk) and an IOAPIC pin for each
 * cell, plus a cell that claims the Linux cell's CPU (a create that fails after allocating) and
 * memory root never had.
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
  // rt and linux take one IOAPIC pin each from root, so interrupt routing has pins that change hands.
  const chip = set.system.config.root_cell.irqchips[0];
  if (!chip) throw new Error("the x86 example lost its IOAPIC");
  const pin = (n: number) => [{ ...chip, pin_base: 0, pin_bitmap: [1 << n, 0, 0, 0] as const }];
  return {
    ...set,
    cells: [
      { ...rt, config: { ...rt.config, irqchips: pin(4) } },
      { ...linux, config: { ...linux.config, memory_regions: regions, irqchips: pin(5) } },
      { ...rt, config: intruder },
    ],
  };
}

/**
 * Copies `hypervisor/` from `root` to `workDir/<mutant>` and applies the mutant's edits; each text
 * must occur exactly once, so a mutant cannot silently stop applying when the core changes.
 * Returns the copy's folder, or why the mutant does not apply.
 */
export function applyMutant(mutant: MutantDefinition, root: string, workDir: string): string | { error: string } {
  const dir = join(workDir, mutant.name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "hypervisor"), join(dir, "hypervisor"), { recursive: true });
  const path = join(dir, "hypervisor", mutant.file);
  let text = readFileSync(path, "utf8");
  for (const [find, replace] of mutant.edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) return { error: `"${find.slice(0, 60)}" occurs ${count} times in ${mutant.file}, not once` };
    text = text.replace(find, replace);
  }
  writeFileSync(path, text);
  return dir;
}

/**
 * The copy's core behind the abstraction function, which reads the core only through the module
 * it is handed (the core keeps per-module caches, e.g. of page-table walks). Needs a TypeScript
 * loader (tsx), as the copy is sources.
 */
export async function loadCopy(dir: string): Promise<ImplementationFactory> {
  const core = (await import(pathToFileURL(join(dir, "hypervisor", "index.ts")).href)) as CoreModule;
  return (set, mode) => coreImplementation(core, set, mode);
}

/** The bindings a mutant is run against, in `warden conform`'s order. */
export const mutantBindings: readonly ModelBinding[] = Object.values(bindings);

/**
 * The virtio unit's own harness (every validation design, beside the core's trapped one), as a
 * catcher of the shared suite: the model bindings drive the core, whose unit is always trapped,
 * so a bug in another design's code is reachable only here.
 */
export const UNIT_CATCHER = "virtio-msi-unit";

/** The virtio unit of a copy of hypervisor/ (for {@link UNIT_CATCHER}); needs tsx like `loadCopy`. */
export async function loadUnit(dir: string): Promise<VirtioCore> {
  return (await import(pathToFileURL(join(dir, "hypervisor", "virtio", "index.ts")).href)) as VirtioCore;
}

/**
 * The model binding whose conformance run catches the implementation, or undefined; `first`
 * (the mutant's expected catcher) is tried before the others, which follow in `warden conform`'s order.
 * With `unit`, the virtio unit's harness is tried too: right after `first` when that is virtio-msi, else last.
 */
export async function caughtBy(
  impl: ImplementationFactory,
  set: ConfigSet,
  usable: readonly string[] = mutantBindings.map((b) => b.name),
  first?: string,
  unit?: VirtioCore,
): Promise<string | undefined> {
  const order = [...mutantBindings].sort((a, b) => Number(b.name === first) - Number(a.name === first));
  const unitCatches = () => unit !== undefined && conformVirtioMsi(unit, virtioMutantBudget).departure !== undefined;
  let unitTried = false;
  for (const binding of order.filter((b) => usable.includes(b.name))) {
    const report = await conform(set, "upstream", impl, { ...mutantBudget, shrink: false }, binding);
    if (report.failure) return binding.name;
    if (binding.name === first && first === "virtio-msi" && unit) {
      unitTried = true;
      if (unitCatches()) return UNIT_CATCHER;
    }
  }
  return !unitTried && unitCatches() ? UNIT_CATCHER : undefined;
}

/**
 * Where an unmutated copy already departs (binding and mode): a mutant "caught" there would be
 * the copying's doing, not the mutation's, so such a binding cannot measure detection.
 */
export async function baselineDepartures(
  impl: ImplementationFactory,
  set: ConfigSet,
): Promise<{ binding: string; detail: string }[]> {
  const out: { binding: string; detail: string }[] = [];
  for (const mode of ["upstream", "strict"] as const) {
    for (const binding of mutantBindings.filter((b) => !b.modes || b.modes.includes(mode))) {
      const report = await conform(set, mode, impl, mutantBudget, binding);
      if (report.failure)
        out.push({
          binding: binding.name,
          detail: `${binding.name} ${mode}: departs at step ${report.failure.departure.step}: ${report.failure.departure.command}`,
        });
    }
  }
  return out;
}
