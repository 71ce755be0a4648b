/**
 * A package's entry points as source files: every path named by package.json's `bin`, `main`,
 * `module` and `exports`, mapped from the build output back to sources (`dist/cli/main.js` →
 * `cli/main.ts`, using tsconfig's `outDir` and `rootDir`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { typescriptApi } from "./typescriptApi.js";

/** The package's entry files relative to `root`, those found among `sources`; [] without package.json. */
export function packageEntries(root: string, sources: ReadonlySet<string>): string[] {
  const pkg = readJson(join(root, "package.json"));
  if (pkg === undefined) return [];
  const named: string[] = [];
  collectStrings(pkg.bin, named);
  collectStrings(pkg.main, named);
  collectStrings(pkg.module, named);
  collectStrings(pkg.exports, named);
  const options = compilerOptions(root);
  const outDir = posix.normalize(options.outDir ?? "dist");
  const rootDir = posix.normalize(options.rootDir ?? ".");
  const found = new Set<string>();
  for (const path of named) {
    const p = posix.normalize(path);
    const inRoot = p.startsWith(`${outDir}/`) ? posix.join(rootDir, p.slice(outDir.length + 1)) : p;
    const stem = inRoot.replace(/\.(m|c)?js$/, "").replace(/\.d$/, "");
    const hit = [p, inRoot, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`].find((c) => sources.has(c));
    if (hit !== undefined) found.add(hit);
  }
  return [...found].sort();
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out);
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = typescriptApi().parseConfigFileTextToJson(file, readFileSync(file, "utf8"));
  return parsed.error === undefined ? (parsed.config as Record<string, unknown>) : undefined;
}

/** `outDir`/`rootDir` from tsconfig.build.json, else tsconfig.json (comments allowed). */
function compilerOptions(root: string): { outDir?: string; rootDir?: string } {
  for (const name of ["tsconfig.build.json", "tsconfig.json"]) {
    const config = readJson(join(root, name));
    const options = config?.compilerOptions as { outDir?: string; rootDir?: string } | undefined;
    if (options?.outDir !== undefined) return options;
  }
  return {};
}
