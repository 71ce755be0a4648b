/** Regenerates the committed TLA+ of the manifest models: `npx tsx proofs/tla/regenerate.ts`. */
import { join } from "node:path";
import { atomicWrite } from "../../generators/index.js";
import { manifestTla, packageRoot } from "../index.js";

for (const [path, text] of manifestTla()) {
  atomicWrite(join(packageRoot, path), text);
  process.stdout.write(`${path}\n`);
}
