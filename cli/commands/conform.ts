import type { Command } from "commander";
import { atomicWrite, toItf } from "../../generators/index.js";
import {
  builtinImplementation,
  type ConformReport,
  conform,
  inputError,
  loadConfigSet,
  loadExampleSet,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface ConformOpts {
  readonly config?: string[];
  readonly example: string;
  readonly mode: string;
  readonly runs: string;
  readonly steps: string;
  readonly seed?: string;
  readonly itf?: string;
  readonly json?: boolean;
}

export function registerConform(program: Command): void {
  program
    .command("conform")
    .description("model-based conformance: the hypervisor core against the CellLifecycle model, step by step")
    .option("--config <files...>", "configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given (x86 or arm64)", "x86")
    .option("--mode <mode>", "upstream, strict or both", "both")
    .option("--runs <n>", "random runs per mode", "100")
    .option("--steps <k>", "maximum steps per run", "30")
    .option("--seed <s>", "fast-check seed (printed with every result, to replay)")
    .option("--itf <file>", "write the model's side of a failing run as an ITF trace")
    .option("--json", "print the reports as JSON")
    .action(
      runAction((opts: ConformOpts): ExitCode => {
        const set = opts.config?.length
          ? loadConfigSet(opts.config, { onWarning: printWarning })
          : loadExampleSet(opts.example === "arm64" ? "arm64" : "x86");
        const modes = opts.mode === "both" ? (["upstream", "strict"] as const) : [opts.mode];
        if (!modes.every((m) => m === "upstream" || m === "strict")) {
          throw inputError("WRD900", `--mode must be upstream, strict or both, got "${opts.mode}"`);
        }
        const options = {
          runs: positive(opts.runs, "--runs"),
          steps: positive(opts.steps, "--steps"),
          ...(opts.seed !== undefined ? { seed: positive(opts.seed, "--seed") } : {}),
        };
        const reports = modes.map((mode) => conform(set, mode as "upstream", builtinImplementation, options));
        const failed = reports.find((r) => r.failure);
        if (failed?.failure && opts.itf) {
          atomicWrite(
            opts.itf,
            `${JSON.stringify(toItf(failed.failure.modelTrace, { source: "warden conform" }), null, 1)}\n`,
          );
        }
        process.stdout.write(opts.json ? `${JSON.stringify(reports)}\n` : reports.map(describe).join(""));
        return failed ? 1 : 0;
      }),
    );
}

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw inputError("WRD900", `${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function describe(r: ConformReport): string {
  const head = `${r.mode}: ${r.runs} runs, ${r.stepsChecked} steps conform (${r.unmodelled} outside the model's abstraction); seed ${r.seed}\n`;
  if (!r.failure) return head;
  const d = r.failure.departure;
  return [
    head,
    `  DEPARTS at step ${d.step}: ${d.command}`,
    `    model expects ${d.expected.result}, state ${JSON.stringify(d.expected.state)}`,
    `    core gives    ${d.actual.result}, state ${JSON.stringify(d.actual.state)}`,
    ...d.actual.invariants.map((v) => `    violated ${v}`),
    "  minimal run:",
    ...r.failure.commands.map((c, i) => `    ${i + 1}. ${c}`),
    `  replay: warden conform --mode ${r.mode} --seed ${r.seed} (fast-check path ${r.failure.path})`,
    "",
  ].join("\n");
}
