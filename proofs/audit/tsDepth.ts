/**
 * TypeScript depth of an audited tree: functions per file, their sizes and cyclomatic complexity,
 * and dead code (see deadCode.ts) measured from the package's entry points.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileCount } from "./auditTree.js";
import { type DeadItem, deadCode, type Module } from "./deadCode.js";
import { moduleFacts } from "./moduleFacts.js";
import { packageEntries } from "./packageEntries.js";
import { parseTs, type TsFunction, tsFunctions } from "./tsFunctions.js";

/** The TypeScript part of an audit report. */
export interface TsDepth {
  readonly files: number;
  readonly functionsPerFile: { readonly median: number; readonly p90: number; readonly max: number };
  readonly functionCode: { readonly median: number; readonly p90: number; readonly max: number };
  /** Every function, longest first. */
  readonly functions: readonly TsFunction[];
  readonly entries: readonly string[];
  readonly deadFiles: readonly DeadItem[];
  readonly unusedExports: readonly DeadItem[];
  /** Code lines removing the dead files and unused exports would save. */
  readonly removable: number;
}

/** Files that never count as production code: tests, benches, declarations, tool configs. */
const notProduction = /(^|\/)(test|tests|bench|__tests__)\/|\.(test|spec|bench)\.tsx?$|\.d\.ts$|\.config\.ts$/;

/** Analyses the TypeScript files among `files` (paths relative to `root`). */
export function tsDepth(root: string, files: readonly FileCount[]): TsDepth {
  const ts = files.filter((f) => f.language === "TypeScript");
  const functions: TsFunction[] = [];
  const perFile: number[] = [];
  const modules = new Map<string, Module>();
  for (const f of ts) {
    const text = readFileSync(join(root, f.file), "utf8");
    const sf = parseTs(f.file, text);
    const fns = tsFunctions(f.file, sf);
    functions.push(...fns);
    perFile.push(fns.length);
    if (!notProduction.test(f.file) && !f.file.startsWith("dist/"))
      modules.set(f.file, { file: f.file, text, sf, facts: moduleFacts(sf), code: f.code });
  }
  const entries = packageEntries(root, new Set(modules.keys()));
  const dead = entries.length > 0 ? deadCode(modules, entries) : { deadFiles: [], unusedExports: [] };
  functions.sort((a, b) => b.code - a.code || a.file.localeCompare(b.file) || a.line - b.line);
  const removable = [...dead.deadFiles, ...dead.unusedExports].reduce((s, d) => s + d.code, 0);
  return {
    files: ts.length,
    functionsPerFile: spread(perFile),
    functionCode: spread(functions.map((f) => f.code)),
    functions,
    entries,
    ...dead,
    removable,
  };
}

/** Median, 90th percentile (nearest rank) and maximum of `values`; zeros when empty. */
export function spread(values: readonly number[]): { median: number; p90: number; max: number } {
  if (values.length === 0) return { median: 0, p90: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { median: rank(0.5), p90: rank(0.9), max: sorted.at(-1) ?? 0 };
}
