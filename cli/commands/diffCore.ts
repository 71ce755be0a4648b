import type { Command } from "commander";
import {
  buildHarness,
  type DiffReport,
  diffCore,
  examplePath,
  harnessProcess,
  INTENTIONAL_DIFFERENCES,
  inputError,
  loadConfigSet,
  upstreamSource,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface DiffCoreOpts {
  readonly upstreamSrc?: string;
  readonly config?: string[];
  readonly example: string;
  readonly runs: string;
  readonly steps: string;
  readonly seed?: string;
  readonly work?: string;
  readonly json?: boolean;
}

export function registerDiffCore(program: Command): void {
  program
    .command("diff-core")
    .description(
      "differential testing: Warden's TypeScript core against upstream Jailhouse's C core (built from --upstream-src with gcc), the same random hypercalls and cell actions, results and observable state compared after every step",
    )
    .option("--upstream-src <dir>", "Jailhouse source tree (default: WARDEN_UPSTREAM_SRC)")
    .option("--config <files...>", "x86 configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given", "x86")
    .option("--runs <n>", "random sequences", "100")
    .option("--steps <k>", "maximum steps per sequence", "30")
    .option("--seed <s>", "fast-check seed (printed with every result, to replay)")
    .option("--work <dir>", "where the harness is built and cached (default: the OS temporary directory)")
    .option("--json", "print the report as JSON")
    .action(
      runAction(async (opts: DiffCoreOpts): Promise<ExitCode> => {
        const dir = upstreamSource(opts.upstreamSrc);
        if (!dir)
          throw inputError(
            "WRD502",
            "diff-core needs a Jailhouse source tree: give --upstream-src DIR or set WARDEN_UPSTREAM_SRC",
          );
        const files = opts.config?.length ? opts.config : [examplePath(opts.example === "arm64" ? "arm64" : "x86")];
        const set = loadConfigSet(files, { onWarning: printWarning });
        const harness = buildHarness(dir, opts.work ? { work: opts.work } : {});
        const process_ = harnessProcess(harness.binary, set);
        const started = Date.now();
        try {
          const report = await diffCore(set, process_, {
            runs: count(opts.runs, "--runs"),
            steps: count(opts.steps, "--steps"),
            ...(opts.seed !== undefined ? { seed: count(opts.seed, "--seed") } : {}),
          });
          const seconds = (Date.now() - started) / 1000;
          const full = { ...report, upstream: { dir, commit: harness.commit }, files, seconds };
          process.stdout.write(opts.json ? `${JSON.stringify(full)}\n` : describe(report, harness.commit, seconds));
          return report.failure ? 1 : 0;
        } finally {
          process_.close();
        }
      }),
    );
}

function count(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw inputError("WRD900", `${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function describe(r: DiffReport, commit: string, seconds: number): string {
  const lines = [
    `diff-core: Warden's TypeScript core vs upstream Jailhouse ${commit} (C harness)`,
    `${r.failure ? "DIVERGES" : "agree"}: ${r.runs} runs, ${r.steps} steps compared in ${seconds.toFixed(1)} s; seed ${r.seed}`,
  ];
  for (const [name, n] of Object.entries(r.explained)) {
    const why = INTENTIONAL_DIFFERENCES.find((d) => d.name === name)?.why ?? "";
    lines.push(`  intentional difference "${name}" seen ${n}× (${why})`);
  }
  if (r.failure) {
    const d = r.failure.divergence;
    lines.push(
      `  first divergence at step ${d.step}: ${d.command}`,
      `    ${d.field}:`,
      `      TypeScript core: ${JSON.stringify(d.core)}`,
      `      upstream C core: ${JSON.stringify(d.upstream)}`,
      "  minimal sequence:",
      ...r.failure.commands.map((c, i) => `    ${i + 1}. ${c}`),
      `  replay: warden diff-core --seed ${r.seed} (fast-check path ${r.failure.path})`,
    );
  }
  return `${lines.join("\n")}\n`;
}
