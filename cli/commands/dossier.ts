import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite } from "../../generators/index.js";
import { buildDossier, dossierHtml, dossierMarkdown, examplePath, loadConfigSet } from "../../proofs/index.js";
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
}

export function registerDossier(program: Command): void {
  program
    .command("dossier")
    .description("run every evidence producer and write the certification dossier (HTML, Markdown, JSON)")
    .option("--config <files...>", "configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given (x86 or arm64)", "x86")
    .option("--out <dir>", "output directory", "reports/dossier")
    .option("--seed <s>", "seed of the conformance runs", "1")
    .option("--strict", "exit 1 unless every requirement has passing evidence")
    .option("--json", "print the dossier as JSON on stdout")
    .action(
      runAction(async (opts: DossierOpts): Promise<ExitCode> => {
        const files = opts.config?.length ? opts.config : [examplePath(opts.example === "arm64" ? "arm64" : "x86")];
        const set = loadConfigSet(files, { onWarning: printWarning });
        const options = { conformRuns: 30, conformSteps: 25, seed: Number(opts.seed) || 1 };
        const dossier = await buildDossier(set, files, options, (stage) =>
          process.stderr.write(`[dossier] ${stage}\n`),
        );
        atomicWrite(join(opts.out, "dossier.json"), `${JSON.stringify(dossier, null, 1)}\n`);
        atomicWrite(join(opts.out, "dossier.md"), dossierMarkdown(dossier));
        atomicWrite(join(opts.out, "dossier.html"), dossierHtml(dossier, mermaidScript()));
        const rows = dossier.traceability.rows;
        const verified = rows.filter((r) => r.coverage === "verified").length;
        const failing = dossier.evidence.filter((e) => e.result === "fail").length;
        if (opts.json) process.stdout.write(`${JSON.stringify(dossier)}\n`);
        else {
          process.stdout.write(
            `${dossier.verdict}: ${verified} of ${rows.length} requirements verified, ${dossier.evidence.length} evidence items (${failing} failing)\n` +
              `dossier: ${join(opts.out, "dossier.html")} (also dossier.md, dossier.json)\n`,
          );
        }
        return failing > 0 || (opts.strict && verified < rows.length) ? 1 : 0;
      }),
    );
}
