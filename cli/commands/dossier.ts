import { type Command, Option } from "commander";
import {
  buildDossier,
  conformBudget,
  evidenceCacheFile,
  examplePath,
  isVerified,
  loadConfigSet,
  loadEvidenceCache,
  loadRequirements,
  previousDossier,
  printPdf,
  progressLine,
  weakerThan,
  writeDossier,
} from "../../proofs/index.js";
import { exampleName } from "../exampleName.js";
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
  readonly pdf?: string;
}

export function registerDossier(program: Command): void {
  program
    .command("dossier")
    .description("run (or reuse, when still fresh) every evidence producer and write the certification dossier")
    .option("--config <files...>", "configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given (x86 or arm64)", "x86")
    .option("--out <dir>", "output directory (also holds the evidence cache)", "reports/dossier")
    .option("--seed <s>", "seed of the conformance runs and the test suite", "1")
    .option("--strict", "exit 1 unless every requirement is proved or tested at the budget it demands")
    .addOption(
      new Option(
        "--cached",
        "run nothing: assemble from the evidence cache, marking evidence with changed inputs stale",
      ).conflicts("fresh"),
    )
    .option("--fresh", "ignore the evidence cache and run every producer")
    .option("--pdf <file>", "also print the dossier to PDF through the system's Chromium")
    .option("--json", "print the dossier as JSON on stdout")
    .action(
      runAction(async (opts: DossierOpts): Promise<ExitCode> => {
        const files = opts.config?.length ? opts.config : [examplePath(exampleName(opts.example))];
        const set = loadConfigSet(files, { onWarning: printWarning });
        const cache = loadEvidenceCache(evidenceCacheFile(opts.out), (m) =>
          process.stderr.write(`warden: warning: ${m}\n`),
        );
        const budget = conformBudget(loadRequirements());
        const previous = previousDossier(opts.out);
        const dossier = await buildDossier(set, files, {
          options: { conformRuns: budget.runs, conformSteps: budget.steps, seed: Number(opts.seed) || 1 },
          cache,
          reuse: opts.cached ? "only" : opts.fresh ? "never" : "auto",
          progress: (e) => process.stderr.write(progressLine("dossier", e)),
          ...(previous ? { previousRevision: previous.revision } : {}),
        });
        const weaker = weakerThan(previous, dossier);
        if (weaker) process.stderr.write(`warden: warning: ${opts.out}: ${weaker}\n`);
        const html = writeDossier(dossier, opts.out, cache, mermaidScript());
        if (opts.pdf) await printPdf(html, opts.pdf, { configHash: dossier.config.hash, version: dossier.warden });
        const rows = dossier.traceability.rows;
        const verified = rows.filter((r) => isVerified(r.status)).length;
        const failing = dossier.evidence.filter((e) => e.result === "fail" && e.freshness !== "stale").length;
        const f = dossier.freshness;
        if (opts.json) process.stdout.write(`${JSON.stringify(dossier)}\n`);
        else {
          process.stdout.write(
            `${dossier.verdict}: ${verified} of ${rows.length} requirements proved or tested, ${dossier.evidence.length} evidence items (${failing} failing; ${f.new} new, ${f.reused} reused, ${f.stale} stale, ${f.notRun} not run)\n` +
              dossier.shortfalls
                .map(
                  (s) =>
                    `${s.blocking ? "short" : "cross-check missing"}: ${s.what} (${s.requirements.join(", ")}): ${s.supply}\n`,
                )
                .join("") +
              `dossier: ${html} (also dossier.md, dossier.json, memory-map.svg; cache ${cache.file})${opts.pdf ? `; PDF ${opts.pdf}` : ""}\n`,
          );
        }
        return failing > 0 || (opts.strict && verified < rows.length) ? 1 : 0;
      }),
    );
}
