import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConfigSet, MemoryRegion } from "../../hypervisor/index.js";
import * as real from "../../hypervisor/index.js";
import { bindings, type CoreModule, conform, coreImplementation, loadExampleSet } from "../../proofs/index.js";
import { root } from "../e2e/run.js";
import { mutants } from "./mutants.js";

/** Mutated copies live inside the repository so their imports of zod and yaml resolve. */
const workDir = join(root, "test/.mutants");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * The x86 example with its Linux cell 2 MiB-aligned (fast to walk) and an IOAPIC pin for each
 * cell, plus a cell that claims the Linux cell's CPU (a create that fails after allocating) and
 * memory root never had.
 */
function probeSet(): ConfigSet {
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

async function mutate(name: string, file: string, edits: readonly (readonly [string, string])[]): Promise<CoreModule> {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "hypervisor"), join(dir, "hypervisor"), { recursive: true });
  const path = join(dir, "hypervisor", file);
  let text = readFileSync(path, "utf8");
  for (const [find, replace] of edits) {
    expect(text.split(find).length - 1, `mutant ${name}: "${find}" must occur once in ${file}`).toBe(1);
    text = text.replace(find, replace);
  }
  writeFileSync(path, text);
  return (await import(join(dir, "hypervisor/index.ts"))) as CoreModule;
}

describe("conformance catches every planted bug", () => {
  const set = probeSet();

  it("passes the unmutated core on the probe set, so a caught mutant is the mutation's doing", {
    timeout: 180_000,
  }, async () => {
    for (const mode of ["upstream", "strict"] as const) {
      for (const binding of Object.values(bindings)) {
        const options = { runs: 100, steps: 30, seed: 7 };
        const report = await conform(set, mode, (s, m) => coreImplementation(real, s, m), options, binding);
        expect(report.failure, `${binding.name} ${mode}: ${JSON.stringify(report.failure?.departure)}`).toBeUndefined();
      }
    }
  });

  for (const mutant of mutants) {
    it(`catches ${mutant.name}: ${mutant.bug}`, { timeout: 180_000 }, async () => {
      const module = await mutate(mutant.name, mutant.file, mutant.edits);
      // `warden conform` checks every model and fails if any departs; the expected one goes first to save time.
      const first = bindings[mutant.model ?? "lifecycle"];
      const order = [first, ...Object.values(bindings).filter((b) => b !== first)];
      const caughtBy: string[] = [];
      for (const binding of order) {
        const options = { runs: 100, steps: 30, seed: 7, shrink: false };
        const report = await conform(set, "upstream", (s, m) => coreImplementation(module, s, m), options, binding);
        if (report.failure) {
          caughtBy.push(binding.name);
          break;
        }
      }
      expect(caughtBy, `${mutant.name} survived every model's default budget`).toHaveLength(1);
    });
  }
});
