import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory holding Warden's package.json. Found by walking up, because this module runs
 * both from the sources (tests, bench) and from `dist/` (the installed CLI), at different depths.
 */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "warden") return dir;
    // Unreachable in an installed package: package.json ships with it.
    if (dirname(dir) === dir) throw new Error(`cannot find Warden's package.json above ${start}`);
  }
}

/** Warden's version, from package.json. */
export const version: string = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).version;
