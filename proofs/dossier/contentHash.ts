/**
 * Content hashes (sha256, 16 hex digits) of the inputs evidence depends on: bytes, files, and
 * whole source trees. A tree's hash covers each file's relative path and bytes in sorted order,
 * so a rename, an added file or an edit all change it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ConfigSet } from "../../hypervisor/index.js";
import { encodeCell, encodeSystem } from "../../hypervisor/index.js";

export const contentHash = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex").slice(0, 16);

/** The configuration set's bytes, as the upstream binary format, hashed. */
export function configHash(set: ConfigSet): string {
  const h = createHash("sha256").update(encodeSystem(set.system.config));
  for (const c of set.cells) h.update(encodeCell(c.config));
  return h.digest("hex").slice(0, 16);
}

/** A file's hash, or "absent" (so a deleted input also reads as a change). */
export function fileHash(path: string): string {
  return existsSync(path) ? contentHash(readFileSync(path)) : "absent";
}

const treeCache = new Map<string, string>();

/** The hash of every file under `dir` whose name matches `pattern` (memoised for one process). */
export function treeHash(dir: string, pattern = /\.(ts|js|ya?ml|json)$/): string {
  const key = `${dir}\0${pattern.source}`;
  const known = treeCache.get(key);
  if (known) return known;
  const h = createHash("sha256");
  const files = existsSync(dir) ? listFiles(dir).filter((f) => pattern.test(f)) : [];
  for (const file of files.sort())
    h.update(`${relative(dir, file)}\0`)
      .update(readFileSync(file))
      .update("\0");
  const digest = files.length ? h.digest("hex").slice(0, 16) : "absent";
  treeCache.set(key, digest);
  return digest;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
