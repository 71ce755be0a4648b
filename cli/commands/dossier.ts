import { type Command, Option } from "commander";
import {
  buildDossier,
  dossierConformBudget,
  evidenceCacheFile,
  examplePath,
  loadConfigSet,
  loadEvidenceCache,
  progressLine,
  writeDossier,
} from "../../proofs/index.js";
import { mermaidScript } from "../mermaidScript.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface DossierOpts {
  readonly config?: string[];
  readonly example: string;
  readonly out: string;
  readonly strict?: boolean;
  readonly json?: boolean;
  readonly seed: string;
  readonly cached?: boolean;
  readonly fresh?: boolean;
}

export function registerDossier(program: Command): void {
  program
    .command("dossier")
    .description("run (or reuse, when still fresh) every evidence producer and write the certification dossier")
    .option("--config <files...>", "configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given (x86 or arm64)", "x86")
    .option("--out <dir>", "output directory (also holds the evidence cache)", "reports/dossier")
    .option("--seed <s>", "seed of the conformance runs and the test suite", "1")
    .option("--strict", "exit 1 unless every requirement has fresh, passing evidence")
    .addOption(
      new Option(
        "--cached",
        "run nothing: assemble from the evidence cache, marking evidence with changed inputs stale",
      ).conflicts("fresh"),
    )
    .option("--fresh", "ignore the evidence cache and run every producer")
    .option("--json", "print the dossier as JSON on stdout")
    .action(
      runAction(async (opts: DossierOpts): Promise<ExitCode> => {
        const files = opts.config?.length ? opts.config : [examplePath(opts.example === "arm64" ? "arm64" : "x86")];
        const set = loadConfigSet(files, { onWarning: printWarning });
        const cache = loadEvidenceCache(evidenceCacheFile(opts.out), (m) =>
          process.stderr.write(`warden: warning: ${m}\n`),
        );
        const dossier = await buildDossier(set, files, {
          options: { ...dossierConformBudget, seed: Number(opts.seed) || 1 },
          cache,
          reuse: opts.cached ? "only" : opts.fresh ? "never" : "auto",
          progress: (e) => process.stderr.write(progressLine("dossier", e)),
        });
        const html = writeDossier(dossier, opts.out, cache, mermaidScript());
        const rows = dossier.traceability.rows;
        const verified = rows.filter((r) => r.coverage === "verified").length;
        const failing = dossier.evidence.filter((e) => e.result === "fail" && e.freshness !== "stale").length;
        const f = dossier.freshness;
        if (opts.json) process.stdout.write(`${JSON.stringify(dossier)}\n`);
        else {
          process.stdout.write(
            `${dossier.verdict}: ${verified} of ${rows.length} requirements verified, ${dossier.evidence.length} evidence items (${failing} failing; ${f.new} new, ${f.reused} reused, ${f.stale} stale, ${f.notRun} not run)\n` +
              `${dossier.traceability.uncovered.length ? `without fresh passing evidence: ${dossier.traceability.uncovered.join(", ")}\n` : ""}` +
              `dossier: ${html} (also dossier.md, dossier.json; cache ${cache.file})\n`,
          );
        }
        return failing > 0 || (opts.strict && verified < rows.length) ? 1 : 0;
      }),
    );
}
