/**
 * Budgets: a YAML file naming targets as include/exclude globs with a total limit, a per-file limit
 * (module size) and optionally a per-function limit. Only code lines count against a budget.
 */
import { z } from "zod";
import { readYamlFile } from "../pipeline/readYamlFile.js";
import type { FileCount } from "./auditTree.js";
import type { FunctionSize } from "./functionsOf.js";
import { globMatch } from "./globMatch.js";

const targetSchema = z.strictObject({
  include: z.array(z.string()).min(1),
  exclude: z.array(z.string()).default([]),
  languages: z.array(z.string()).optional(),
  limit: z.number().int().positive(),
  fileLimit: z.number().int().positive().optional(),
  functionLimit: z.number().int().positive().optional(),
});
/** `surface:` targets (`warden audit surface --budget`): one cell's reachable code lines and forbidden handlers. */
const surfaceTargetSchema = z.strictObject({
  cell: z.string().min(1),
  arch: z.enum(["x86", "arm64"]).optional(),
  limit: z.number().int().positive().optional(),
  forbid: z.array(z.string().min(1)).default([]),
});
const budgetSchema = z.strictObject({
  targets: z.record(z.string(), targetSchema),
  surface: z.record(z.string(), surfaceTargetSchema).optional(),
});

/** A parsed budget file. */
export type Budget = z.infer<typeof budgetSchema>;

/** One directory's code lines inside a target and its share of the target's total. */
export interface DirectoryShare {
  readonly dir: string;
  readonly code: number;
  readonly share: number;
}

/** One target's result: totals, where its lines sit, its largest files and functions, overruns. */
export interface TargetResult {
  readonly target: string;
  readonly code: number;
  readonly limit: number;
  readonly files: number;
  readonly overruns: readonly string[];
  readonly byDirectory: readonly DirectoryShare[];
  readonly largestFiles: readonly { readonly file: string; readonly code: number }[];
  readonly largestFunctions: readonly FunctionSize[];
}

/** How many largest files and functions a target lists. */
const top = 5;

/** Reads and validates a budget file; a bad file exits 2 naming the field path. */
export function loadBudget(file: string): Budget {
  return readYamlFile(file, budgetSchema, "budget");
}

/** The files of `files` a target holds. */
export function targetMembers(t: Budget["targets"][string], files: readonly FileCount[]): FileCount[] {
  return files.filter(
    (f) =>
      t.include.some((g) => globMatch(f.file, g)) &&
      !t.exclude.some((g) => globMatch(f.file, g)) &&
      (t.languages === undefined || t.languages.includes(f.language)),
  );
}

/**
 * Checks every target of `budget` against the counted files; `functions` gives a file's functions
 * (omit it to skip function ranking and function limits).
 */
export function checkBudget(
  budget: Budget,
  files: readonly FileCount[],
  functions: (file: FileCount) => readonly FunctionSize[] = () => [],
): TargetResult[] {
  return Object.entries(budget.targets).map(([target, t]) => {
    const members = targetMembers(t, files);
    const code = members.reduce((s, f) => s + f.code, 0);
    const fns = members.flatMap((f) => functions(f)).sort((a, b) => b.code - a.code);
    const overruns: string[] = [];
    if (code > t.limit) overruns.push(`${target}: ${code} code lines > limit ${t.limit}`);
    for (const f of members)
      if (t.fileLimit !== undefined && f.code > t.fileLimit)
        overruns.push(`${target}: ${f.file} has ${f.code} code lines > file limit ${t.fileLimit}`);
    for (const f of fns)
      if (t.functionLimit !== undefined && f.code > t.functionLimit)
        overruns.push(
          `${target}: ${f.file}:${f.line} ${f.name} has ${f.code} code lines > function limit ${t.functionLimit}`,
        );
    return {
      target,
      code,
      limit: t.limit,
      files: members.length,
      overruns,
      byDirectory: byDirectory(members, code),
      largestFiles: [...members]
        .sort((a, b) => b.code - a.code)
        .slice(0, top)
        .map((f) => ({ file: f.file, code: f.code })),
      largestFunctions: fns.slice(0, top),
    };
  });
}

/**
 * Code lines per directory, largest first: the file's own directory, or only its first `levels`
 * path segments when given ("." for files at the top).
 */
export function byDirectory(files: readonly FileCount[], total: number, levels?: number): DirectoryShare[] {
  const sums = new Map<string, number>();
  for (const f of files) {
    const parts = f.file.split("/").slice(0, -1);
    const dir = parts.length === 0 ? "." : parts.slice(0, levels ?? parts.length).join("/");
    sums.set(dir, (sums.get(dir) ?? 0) + f.code);
  }
  return [...sums]
    .map(([dir, code]) => ({ dir, code, share: total === 0 ? 0 : code / total }))
    .sort((a, b) => b.code - a.code || (a.dir < b.dir ? -1 : 1));
}
