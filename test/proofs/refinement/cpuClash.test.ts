import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConfigSet } from "../../../hypervisor/index.js";
import {
  applyMutant,
  bindings,
  builtinImplementation,
  conform,
  loadCopy,
  loadExampleSet,
} from "../../../proofs/index.js";
import { root } from "../../e2e/run.js";

/** Mutated copies live inside the repository so their imports of zod and yaml resolve. */
const workDir = join(root, "test/.mutants-cpu-clash");
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * The CPU clash of upstream's qemu-x86 demo set, built from our x86 example (upstream's files are
 * never committed): apic-demo and linux-x86-demo both take CPU 3; here linux also asks for
 * rt-bare-metal's CPU 2.
 */
function cpuClash(): ConfigSet {
  const set = loadExampleSet("x86");
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("the x86 example changed");
  const cpus = [...new Set([...linux.config.cpus, ...rt.config.cpus])].sort();
  return { ...set, cells: [rt, { ...linux, config: { ...linux.config, cpus } }] };
}

const skipsCpuCheck = {
  name: "create-skips-cpu-ownership",
  bug: "create does not check that every requested CPU is still the root cell's",
  file: "core/cellCreate.ts",
  edits: [['    for (const c of cell.cpus) if (!root.cpus.has(c)) throw new HypervisorError("EBUSY");\n', ""]] as const,
};

describe("conformance on a configuration set whose cells clash", () => {
  it("the real core refuses the clashing create with -EBUSY, as the ownership model says, in both modes", {
    timeout: 120_000,
  }, async () => {
    for (const mode of ["upstream", "strict"] as const) {
      const r = await conform(
        cpuClash(),
        mode,
        builtinImplementation,
        { runs: 8, steps: 12, seed: 5 },
        bindings.ownership,
      );
      expect(r.failure?.departure, mode).toBeUndefined();
    }
  });

  it("catches create skipping the CPU ownership check, which the built-in example cannot show", {
    timeout: 240_000,
  }, async () => {
    const dir = applyMutant(skipsCpuCheck, root, workDir);
    if (typeof dir !== "string") throw new Error(dir.error);
    const impl = await loadCopy(dir);
    const budget = { runs: 12, steps: 15, seed: 3, shrink: false };
    for (const binding of [bindings.lifecycle, bindings.ownership]) {
      const onExample = await conform(loadExampleSet("x86"), "upstream", impl, budget, binding);
      expect(onExample.failure, `${binding.name} on the example`).toBeUndefined();
    }
    const caught = await conform(cpuClash(), "upstream", impl, budget, bindings.ownership);
    expect(caught.failure?.departure.command).toMatch(/^create cell/);
  });
});
