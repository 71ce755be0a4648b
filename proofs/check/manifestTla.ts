import { join } from "node:path";
import { emitTla } from "../../generators/index.js";
import { packageRoot, version } from "../packageRoot.js";
import { inputHash } from "./inputHash.js";
import { readManifest, tlaDirName } from "./manifest.js";
import { resolveModels } from "./resolveModels.js";

/**
 * The TLA+ committed under `proofs/tla/` for every manifest entry: path relative to the package
 * root -> content. `npx tsx proofs/tla/regenerate.ts` writes it; a test fails on drift.
 */
export function manifestTla(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readManifest()) {
    const [resolved] = resolveModels([entry.model], entry.params);
    if (!resolved) continue;
    const args = Object.entries(entry.params).map(([k, v]) => ` --param ${k}=${v}`);
    const emitted = emitTla(resolved.model, {
      command: `warden tla ${entry.model}${args.join("")} --out proofs/tla/${tlaDirName(entry)}`,
      version,
      inputHash: inputHash(resolved.model),
    });
    for (const [file, text] of Object.entries(emitted.files))
      files.set(join("proofs", "tla", tlaDirName(entry), file), text);
  }
  return files;
}

export const tlaRoot = join(packageRoot, "proofs", "tla");
