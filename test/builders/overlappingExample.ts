/** The built-in x86 example with the rt cell's RAM moved onto the linux cell's: a planted overlap. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigSet } from "../../hypervisor/index.js";
import { loadExampleSet, packageRoot } from "../../proofs/index.js";

export const OVERLAP_AT = 0x3b080000n;

export function overlappingExample(): ConfigSet {
  const set = loadExampleSet("x86");
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("the x86 example changed: expected rt and linux cells");
  const moved = { ...rt.config.memory_regions[0], phys_start: OVERLAP_AT } as (typeof rt.config.memory_regions)[number];
  return {
    ...set,
    cells: [{ ...rt, config: { ...rt.config, memory_regions: [moved, ...rt.config.memory_regions.slice(1)] } }, linux],
  };
}

/** The same planted overlap, as YAML text of the example set document. */
export function overlappingExampleYaml(): string {
  return readFileSync(join(packageRoot, "examples/x86/system.yaml"), "utf8").replace(
    'phys_start: "0x3f000000", virt_start: "0x0"',
    'phys_start: "0x3b000000", virt_start: "0x0"',
  );
}
