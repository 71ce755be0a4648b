import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, formatSummary, summaryData } from "../../generators/index.js";
import {
  buildDossier,
  type Dossier,
  dossierHtml,
  dossierMarkdown,
  type EvidenceItem,
  examplePath,
  loadConfigSet,
} from "../../proofs/index.js";
import { mermaidScript } from "../mermaidScript.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface StageResult {
  readonly stage: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The verdict lines of the main job, one per kind of evidence the dossier gathered. */
function stages(d: Dossier, out: string): StageResult[] {
  const of = (prefix: string) => d.evidence.filter((e) => e.id.startsWith(prefix));
  const failing = (items: readonly EvidenceItem[]) => items.filter((e) => e.result !== "pass");
  const rules = of("rule:");
  const model = (name: string, label: string): StageResult => {
    const items = of(`model:${name}.`);
    const bad = items.find((e) => e.result === "fail");
    return {
      stage: label,
      ok: failing(items).length === 0,
      detail: bad
        ? `${bad.id.split(".")[1]} violated (see warden check ${name} --config …)`
        : (items[0]?.detail ?? "no properties"),
    };
  };
  const conform = of("conform:");
  const budget = of("budget:");
  const verified = d.traceability.rows.filter((r) => r.coverage === "verified").length;
  return [
    { stage: "configuration set", ok: true, detail: `${d.config.files.join(", ")} decoded and validated` },
    {
      stage: "isolation proofs (Z3)",
      ok: failing(rules).length === 0,
      detail: failing(rules).length
        ? `${failing(rules).length} of ${rules.length} obligations violated: ${failing(rules)
            .map((e) => e.id.slice(5))
            .join(", ")} (see warden prove)`
        : `${rules.length} obligations proved`,
    },
    model("CellLifecycle", "cell lifecycle model"),
    model("ResourceOwnership", "resource ownership model (upstream semantics)"),
    model("ManagementVote", "management vote model (poll by poll)"),
    {
      stage: "conformance of the hypervisor core to the models",
      ok: failing(conform).length === 0,
      detail: failing(conform).length
        ? failing(conform)
            .map((e) => `${e.id}: ${e.detail}`)
            .join("; ")
        : `${conform.length} suites pass (CellLifecycle and ResourceOwnership, upstream and strict)`,
    },
    {
      stage: "code-size budget of the hypervisor core",
      ok: failing(budget).length === 0,
      detail: budget.map((e) => `${e.id.slice(7)} ${e.detail.split(" in ")[0]}`).join(", "),
    },
    {
      stage: "certification dossier",
      ok: true,
      detail: `${verified} of ${d.traceability.rows.length} requirements verified; ${join(out, "dossier.html")}`,
    },
  ];
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("the main job: verify a configuration set (default: the built-in x86 example) and write its dossier")
    .argument("[system]", "system configuration or configuration-set document")
    .argument("[cells...]", "non-root cell configurations")
    .option("--example <name>", "built-in example to use when no file is given (x86 or arm64)", "x86")
    .option("--out <dir>", "where to write the dossier", "reports/dossier")
    .option("--json", "print the result as JSON")
    .action(
      runAction(
        async (
          system: string | undefined,
          cells: string[],
          opts: { example: string; out: string; json?: boolean },
        ): Promise<ExitCode> => {
          const started = performance.now();
          const files =
            system === undefined ? [examplePath(opts.example === "arm64" ? "arm64" : "x86")] : [system, ...cells];
          const set = loadConfigSet(files, { onWarning: printWarning });
          const dossier = await buildDossier(set, files, { conformRuns: 15, conformSteps: 20, seed: 1 }, (stage) => {
            process.stderr.write(`[verify] ${stage} ... (${Math.round(performance.now() - started)} ms so far)\n`);
          });
          atomicWrite(join(opts.out, "dossier.json"), `${JSON.stringify(dossier, null, 1)}\n`);
          atomicWrite(join(opts.out, "dossier.md"), dossierMarkdown(dossier));
          atomicWrite(join(opts.out, "dossier.html"), dossierHtml(dossier, mermaidScript()));
          const results = stages(dossier, opts.out);
          const ok = results.every((r) => r.ok);
          if (opts.json) {
            const dossierPath = join(opts.out, "dossier.html");
            process.stdout.write(
              `${JSON.stringify({ ok, stages: results, summary: summaryData(set), dossier: dossierPath }, null, 2)}\n`,
            );
          } else {
            process.stdout.write(formatSummary(set));
            for (const r of results) process.stdout.write(`[${r.ok ? "ok" : "FAILED"}] ${r.stage}: ${r.detail}\n`);
            process.stdout.write(
              `verify ${ok ? "passed" : "FAILED"} in ${Math.round(performance.now() - started)} ms\n`,
            );
          }
          return ok ? 0 : 1;
        },
      ),
    );
}
