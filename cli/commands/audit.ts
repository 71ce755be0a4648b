import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite } from "../../generators/index.js";
import {
  auditHistory,
  auditMarkdown,
  auditReport,
  auditSvg,
  type Budget,
  formatAuditText,
  historyMarkdown,
  historySvg,
  historyText,
  loadBudget,
  refuseInputs,
  refuseSharedOutputs,
} from "../../proofs/index.js";
import { type ExitCode, runAction } from "../runAction.js";
import { registerAuditSurface } from "./auditSurface.js";

interface AuditOpts {
  budget?: string;
  json?: boolean;
  md?: string;
  svg?: string;
  ts?: boolean;
  history?: string;
}

export function registerAudit(program: Command): void {
  const command = program
    .command("audit")
    .description("count code/comment/blank lines like cloc, check line budgets, measure functions and dead code")
    .argument("[dir]", "directory to audit", ".")
    .option("--budget <file>", "YAML budget file (targets of globs with limits)")
    .option("--json", "one record per file plus per-target totals (and everything else measured)")
    .option("--md <file>", "write a Markdown report")
    .option("--svg <file>", "write a bar chart (with --history: a line chart)")
    .option("--ts", "TypeScript depth: functions, complexity, dead code (automatic for a package root)")
    .option("--history <range>", "counts per revision: A..B, tags, tags:GLOB or rev,rev,… (git objects, no checkout)")
    .action(
      runAction((dir: string, opts: AuditOpts): ExitCode => {
        refuseSharedOutputs([opts.md, opts.svg]);
        for (const out of [opts.md, opts.svg])
          if (out !== undefined) refuseInputs(out, opts.budget ? [opts.budget] : []);
        const budget = opts.budget ? loadBudget(opts.budget) : undefined;
        return opts.history === undefined ? audit(dir, opts, budget) : history(dir, opts.history, opts, budget);
      }),
    );
  registerAuditSurface(command);
}

function audit(dir: string, opts: AuditOpts, budget: Budget | undefined): ExitCode {
  const ts = opts.ts === true || existsSync(join(dir, "package.json"));
  // Ranking functions reads every C and TypeScript file again: only when something shows them.
  const functions = budget !== undefined || opts.md !== undefined;
  const report = auditReport(dir, { ...(budget ? { budget } : {}), functions, ts });
  if (opts.md !== undefined) atomicWrite(opts.md, auditMarkdown(report));
  if (opts.svg !== undefined) atomicWrite(opts.svg, auditSvg(report));
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatAuditText(report));
  return report.targets.some((t) => t.overruns.length > 0) ? 1 : 0;
}

function history(dir: string, range: string, opts: AuditOpts, budget: Budget | undefined): ExitCode {
  const points = auditHistory(dir, range, budget);
  if (opts.md !== undefined) atomicWrite(opts.md, historyMarkdown(dir, range, points));
  if (opts.svg !== undefined) atomicWrite(opts.svg, historySvg(dir, range, points, budget));
  process.stdout.write(opts.json ? `${JSON.stringify(points, null, 2)}\n` : historyText(points));
  return 0;
}
