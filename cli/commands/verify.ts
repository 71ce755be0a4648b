import type { Command } from "commander";
import { formatSummary, summaryData } from "../../generators/index.js";
import { type ConfigSet, loadConfigSet, loadExampleSet } from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface Stage {
  readonly name: string;
  readonly run: (set: ConfigSet) => { readonly ok: boolean; readonly detail: string };
}

/**
 * The stages of the main job, in order. This release loads and validates the configuration set;
 * later stages (model checks, proofs, conformance, audit, dossier) are appended here.
 */
const stages: readonly Stage[] = [
  {
    name: "configuration set",
    run: (set) => ({
      ok: true,
      detail: `${1 + set.cells.length} cells (${set.system.config.arch}) decoded and validated`,
    }),
  },
];

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("the main job: verify a configuration set (default: the built-in x86 example)")
    .argument("[system]", "system configuration or configuration-set document")
    .argument("[cells...]", "non-root cell configurations")
    .option("--example <name>", "built-in example to use when no file is given (x86 or arm64)", "x86")
    .option("--json", "print the result as JSON")
    .action(
      runAction((system: string | undefined, cells: string[], opts: { example: string; json?: boolean }): ExitCode => {
        const started = performance.now();
        const set =
          system === undefined
            ? loadExampleSet(opts.example === "arm64" ? "arm64" : "x86", { onWarning: printWarning })
            : loadConfigSet([system, ...cells], { onWarning: printWarning });
        const results = stages.map((stage, i) => {
          const t = performance.now();
          process.stderr.write(`[${i + 1}/${stages.length}] ${stage.name} ...\n`);
          const r = stage.run(set);
          process.stderr.write(
            `[${i + 1}/${stages.length}] ${stage.name}: ${r.ok ? "ok" : "FAILED"} (${Math.round(performance.now() - t)} ms)\n`,
          );
          return { stage: stage.name, ...r };
        });
        const ok = results.every((r) => r.ok);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ok, stages: results, summary: summaryData(set) }, null, 2)}\n`);
        } else {
          process.stdout.write(formatSummary(set));
          for (const r of results) process.stdout.write(`[${r.ok ? "ok" : "FAILED"}] ${r.stage}: ${r.detail}\n`);
          process.stdout.write(`verify ${ok ? "passed" : "FAILED"} in ${Math.round(performance.now() - started)} ms\n`);
        }
        return ok ? 0 : 1;
      }),
    );
}
