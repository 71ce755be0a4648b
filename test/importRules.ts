/**
 * Warden's import-direction rule (DEVELOPERS.md, shared/style.md §8), as data plus one checker, so
 * the architecture test can run it on the real tree and on a fixture that must fail.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export const topFolders = ["models", "hypervisor", "generators", "proofs", "cli"] as const;
type Top = (typeof topFolders)[number];

/** Which top-level folders each folder may import. `test/` and `bench/` may import anything. */
export const allowedImports: Readonly<Record<Top, readonly Top[]>> = {
  models: ["models"],
  hypervisor: ["hypervisor"],
  generators: ["generators", "models", "hypervisor"],
  proofs: ["proofs", "generators", "models", "hypervisor"],
  cli: ["cli", "proofs", "generators"],
};

/** Node built-ins forbidden per folder: the models and the hypervisor core do no I/O. */
const forbiddenModules: Readonly<Partial<Record<Top, readonly string[]>>> = {
  models: ["node:fs", "fs", "node:child_process", "child_process"],
  hypervisor: ["node:fs", "fs", "node:child_process", "child_process"],
};

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly reason: string;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Lists every import that breaks the rule, for the tree rooted at `root`. */
export function findImportViolations(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const top of topFolders) {
    for (const file of listTs(join(root, top))) {
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(importPattern)) {
        const specifier = match[1] ?? match[2] ?? "";
        const reason = checkImport(root, top, file, specifier);
        if (reason !== undefined) violations.push({ file: relative(root, file), specifier, reason });
      }
    }
  }
  return violations;
}

function checkImport(root: string, from: Top, file: string, specifier: string): string | undefined {
  if (forbiddenModules[from]?.includes(specifier)) return `${from}/ does no I/O (${specifier})`;
  if (!specifier.startsWith(".")) return undefined;
  const target = relative(root, resolve(dirname(file), specifier)).split(sep);
  const targetTop = target[0] as Top;
  if (!(topFolders as readonly string[]).includes(targetTop)) return `${from}/ imports outside the source folders`;
  if (!allowedImports[from].includes(targetTop)) return `${from}/ may not import ${targetTop}/`;
  // Across folders, only through the other folder's index.ts barrel.
  if (targetTop !== from && !(target.length === 2 && target[1] === "index.js")) {
    return `${from}/ imports ${targetTop}/ past its index.ts`;
  }
  return undefined;
}

function listTs(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : listTs(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}
