/** One audit run: counts, per-language totals, largest files and functions, budgets, TS depth. */
import { auditTree, type FileCount } from "./auditTree.js";
import { type Budget, byDirectory, checkBudget, type DirectoryShare, type TargetResult } from "./checkBudget.js";
import type { Language } from "./countLines.js";
import { type FunctionSize, functionsOf } from "./functionsOf.js";
import { type TsDepth, tsDepth } from "./tsDepth.js";

/** Line totals of a group of files. */
export interface Totals {
  readonly files: number;
  readonly code: number;
  readonly comment: number;
  readonly blank: number;
}

/** Everything `warden audit` reports. */
export interface AuditReport {
  readonly root: string;
  readonly totals: Totals;
  readonly byLanguage: readonly (Totals & { readonly language: Language })[];
  /** Code lines per top-level directory of the tree. */
  readonly byDirectory: readonly DirectoryShare[];
  readonly files: readonly FileCount[];
  readonly largestFiles: readonly FileCount[];
  readonly largestFunctions: readonly FunctionSize[];
  readonly targets: readonly TargetResult[];
  readonly typescript?: TsDepth;
}

/** What to compute beyond the counts. */
export interface AuditOptions {
  readonly budget?: Budget;
  /** Rank functions (reads and scans every C and TypeScript file a second time). */
  readonly functions?: boolean;
  /** TypeScript depth: functions, complexity, dead code. */
  readonly ts?: boolean;
}

const top = 10;

/** Audits the tree at `root`. */
export function auditReport(root: string, options: AuditOptions = {}): AuditReport {
  const files = auditTree(root);
  const cache = new Map<string, readonly FunctionSize[]>();
  const fns = (f: FileCount): readonly FunctionSize[] => {
    if (options.functions !== true) return [];
    let found = cache.get(f.file);
    if (found === undefined) {
      found = functionsOf(root, f);
      cache.set(f.file, found);
    }
    return found;
  };
  const totals = sum(files);
  const report: AuditReport = {
    root,
    totals,
    byLanguage: languages(files),
    byDirectory: byDirectory(files, totals.code, 1),
    files,
    largestFiles: [...files].sort((a, b) => b.code - a.code).slice(0, top),
    largestFunctions: files
      .flatMap((f) => fns(f))
      .sort((a, b) => b.code - a.code)
      .slice(0, top),
    targets: options.budget ? checkBudget(options.budget, files, fns) : [],
  };
  return options.ts === true ? { ...report, typescript: tsDepth(root, files) } : report;
}

function sum(files: readonly FileCount[]): Totals {
  let code = 0;
  let comment = 0;
  let blank = 0;
  for (const f of files) {
    code += f.code;
    comment += f.comment;
    blank += f.blank;
  }
  return { files: files.length, code, comment, blank };
}

function languages(files: readonly FileCount[]): (Totals & { language: Language })[] {
  const groups = new Map<Language, FileCount[]>();
  for (const f of files) {
    const group = groups.get(f.language);
    if (group === undefined) groups.set(f.language, [f]);
    else group.push(f);
  }
  return [...groups].map(([language, group]) => ({ language, ...sum(group) })).sort((a, b) => b.code - a.code);
}
