import type { Command } from "commander";
import { auditTree, checkBudget, loadBudget, type TargetResult } from "../../proofs/index.js";
import { type ExitCode, runAction } from "../runAction.js";

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("count code/comment/blank lines like cloc and check line-count budgets")
    .argument("[dir]", "directory to audit", ".")
    .option("--budget <file>", "YAML budget file (targets of globs with limits)")
    .option("--json", "one record per file plus per-target totals")
    .action(
      runAction((dir: string, opts: { budget?: string; json?: boolean }): ExitCode => {
        const files = auditTree(dir);
        const targets: TargetResult[] = opts.budget ? checkBudget(loadBudget(opts.budget), files) : [];
        const overruns = targets.flatMap((t) => t.overruns);
        if (opts.json) process.stdout.write(`${JSON.stringify({ files, targets }, null, 2)}\n`);
        else {
          const sum = (k: "code" | "comment" | "blank") => files.reduce((s, f) => s + f[k], 0);
          process.stdout.write(
            `${files.length} files: ${sum("code")} code, ${sum("comment")} comment, ${sum("blank")} blank\n`,
          );
          for (const t of targets)
            process.stdout.write(`${t.target}: ${t.code} / ${t.limit} code lines in ${t.files} files\n`);
          for (const o of overruns) process.stdout.write(`[overrun] ${o}\n`);
        }
        return overruns.length > 0 ? 1 : 0;
      }),
    );
}
