/**
 * Budgets: a YAML file naming targets as include/exclude globs with a total limit and a per-file
 * limit (module size). Only code lines count against a budget.
 */
import { matchesGlob } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../pipeline/readYamlFile.js";
import type { FileCount } from "./auditTree.js";

const targetSchema = z.strictObject({
  include: z.array(z.string()).min(1),
  exclude: z.array(z.string()).default([]),
  languages: z.array(z.string()).optional(),
  limit: z.number().int().positive(),
  fileLimit: z.number().int().positive().optional(),
});
const budgetSchema = z.strictObject({ targets: z.record(z.string(), targetSchema) });

/** A parsed budget file. */
export type Budget = z.infer<typeof budgetSchema>;

/** One target's result: total code lines, the files it holds, and any overruns. */
export interface TargetResult {
  readonly target: string;
  readonly code: number;
  readonly limit: number;
  readonly files: number;
  readonly overruns: readonly string[];
}

/** Reads and validates a budget file; a bad file exits 2 naming the field path. */
export function loadBudget(file: string): Budget {
  return readYamlFile(file, budgetSchema, "budget");
}

/** Checks every target of `budget` against the counted files. */
export function checkBudget(budget: Budget, files: readonly FileCount[]): TargetResult[] {
  return Object.entries(budget.targets).map(([target, t]) => {
    const members = files.filter(
      (f) =>
        t.include.some((g) => matchesGlob(f.file, g)) &&
        !t.exclude.some((g) => matchesGlob(f.file, g)) &&
        (t.languages === undefined || t.languages.includes(f.language)),
    );
    const code = members.reduce((s, f) => s + f.code, 0);
    const overruns: string[] = [];
    if (code > t.limit) overruns.push(`${target}: ${code} code lines > limit ${t.limit}`);
    for (const f of members)
      if (t.fileLimit !== undefined && f.code > t.fileLimit)
        overruns.push(`${target}: ${f.file} has ${f.code} code lines > file limit ${t.fileLimit}`);
    return { target, code, limit: t.limit, files: members.length, overruns };
  });
}
