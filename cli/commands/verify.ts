import type { Command } from "commander";
import { setHeadline, summaryData } from "../../generators/index.js";
import {
  buildDossier,
  evidenceCacheFile,
  examplePath,
  loadConfigSet,
  loadEvidenceCache,
  progressLine,
  verifyConformBudget,
  verifyStages,
  writeDossier,
} from "../../proofs/index.js";
import { mermaidScript } from "../mermaidScript.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface VerifyOpts {
  readonly example: string;
  readonly out: string;
  readonly json?: boolean;
  readonly fresh?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("the main job: verify a configuration set (default: the built-in x86 example) and write its dossier")
    .argument("[system]", "system configuration or configuration-set document")
    .argument("[cells...]", "non-root cell configurations")
    .option("--example <name>", "built-in example to use when no file is given (x86 or arm64)", "x86")
    .option("--out <dir>", "where to write the dossier (and keep its evidence cache)", "reports/dossier")
    .option("--fresh", "ignore the evidence cache and run every producer")
    .option("--json", "print the result as JSON")
    .action(
      runAction(async (system: string | undefined, cells: string[], opts: VerifyOpts): Promise<ExitCode> => {
        const started = performance.now();
        const files =
          system === undefined ? [examplePath(opts.example === "arm64" ? "arm64" : "x86")] : [system, ...cells];
        const set = loadConfigSet(files, { onWarning: printWarning });
        process.stderr.write(`[verify] configuration set: ${files.join(", ")} decoded and validated\n`);
        const cache = loadEvidenceCache(evidenceCacheFile(opts.out), (m) =>
          process.stderr.write(`warden: warning: ${m}\n`),
        );
        const dossier = await buildDossier(set, files, {
          options: { ...verifyConformBudget, seed: 1 },
          cache,
          reuse: opts.fresh ? "never" : "auto",
          progress: (e) => process.stderr.write(progressLine("verify", e)),
        });
        const html = writeDossier(dossier, opts.out, cache, mermaidScript());
        const results = verifyStages(dossier, html);
        const ok = results.every((r) => r.status !== "FAILED");
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ ok, verdict: dossier.verdict, stages: results, freshness: dossier.freshness, summary: summaryData(set), dossier: html }, null, 2)}\n`,
          );
        } else {
          process.stdout.write(setHeadline(set));
          for (const r of results) process.stdout.write(`[${r.status}] ${r.stage}: ${r.detail}\n`);
          const f = dossier.freshness;
          process.stdout.write(
            `verify ${ok ? "passed" : "FAILED"} in ${seconds} s (${f.new} evidence items new, ${f.reused} reused, ${f.notRun} not run); dossier ${dossier.verdict}: ${html}\n`,
          );
        }
        return ok ? 0 : 1;
      }),
    );
}
