/**
 * Generates the example binaries from their YAML: `npx tsx examples/build.ts`. Each cell of a
 * set document becomes `<name>.cell` next to the YAML (the system as `<root name>.cell`).
 * `test/examples/examples.test.ts` fails when the committed binaries drift from the YAML.
 */
import { join } from "node:path";
import { atomicWrite } from "../generators/index.js";
import { encodeCell, encodeSystem } from "../hypervisor/index.js";
import { exampleNames, examplePath, loadExampleSet, packageRoot } from "../proofs/index.js";

/** File name -> bytes for one example. */
export function exampleBinaries(name: (typeof exampleNames)[number]): Map<string, Uint8Array> {
  const set = loadExampleSet(name);
  const out = new Map<string, Uint8Array>([
    [`${set.system.config.root_cell.name}.cell`, encodeSystem(set.system.config)],
  ]);
  for (const cell of set.cells) out.set(`${cell.config.name}.cell`, encodeCell(cell.config));
  return out;
}

if (process.argv[1]?.endsWith("build.ts")) {
  for (const name of exampleNames) {
    for (const [file, bytes] of exampleBinaries(name)) {
      const path = join(packageRoot, "examples", name, file);
      atomicWrite(path, bytes);
      process.stdout.write(`${path} (from ${examplePath(name)})\n`);
    }
  }
}
