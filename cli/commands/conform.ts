import type { Command } from "commander";
import { atomicWrite, toItf } from "../../generators/index.js";
import {
  bindings,
  builtinImplementation,
  COVERAGE_STATE_LIMIT,
  type ConformReport,
  conform,
  type Departure,
  examplePath,
  type ImplementationFactory,
  inputError,
  loadConfigSet,
  type ModelBinding,
  processImplementation,
  readRegularFile,
  replay,
  serveCore,
  UPSTREAM_SERVED_MODELS,
  upstreamImplementation,
  upstreamSource,
} from "../../proofs/index.js";
import { junitHelp, writeJunit } from "../junitOption.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface ConformOpts {
  readonly config?: string[];
  readonly example: string;
  readonly model: string;
  readonly mode: string;
  readonly runs: string;
  readonly steps: string;
  readonly seed?: string;
  readonly impl?: string;
  readonly upstreamSrc?: string | boolean;
  readonly replay?: string;
  readonly itf?: string;
  readonly json?: boolean;
  readonly junit?: string;
  readonly coverageGate: boolean;
}

export function registerConform(program: Command): void {
  program
    .command("conform")
    .description(
      "model-based conformance: a hypervisor core against the CellLifecycle, ResourceOwnership, ManagementVote and VirtioMsi models, step by step",
    )
    .option("--config <files...>", "configuration set (system, then cells); default: the built-in example")
    .option("--example <name>", "built-in example when no --config is given (x86 or arm64)", "x86")
    .option("--model <name>", "which model to conform to: lifecycle, ownership, vote, virtio-msi or all", "all")
    .option("--mode <mode>", "upstream, strict or both", "both")
    .option("--runs <n>", "random runs per mode", "100")
    .option("--steps <k>", "maximum steps per run", "30")
    .option("--seed <s>", "fast-check seed (printed with every result, to replay)")
    .option(
      "--impl <command>",
      "test another implementation speaking the JSON-lines protocol (see `warden core-server`)",
    )
    .option(
      "--upstream-src [dir]",
      "test upstream Jailhouse's own C core (control.c, paging.c, …) from this source tree, built with gcc into a user-space harness (without DIR: WARDEN_UPSTREAM_SRC); upstream mode, the models the harness serves",
    )
    .option(
      "--replay <trace>",
      "run an ITF trace of the model (--model; default CellLifecycle) against the implementation",
    )
    .option("--itf <file>", "write the model's side of a failing run as an ITF trace")
    .option("--json", "print the reports as JSON")
    .option("--junit <file>", junitHelp)
    .option("--no-coverage-gate", "report action coverage but do not fail when a reachable label was never exercised")
    .action(
      runAction(async (opts: ConformOpts): Promise<ExitCode> => {
        const files = opts.config?.length ? opts.config : [examplePath(opts.example === "arm64" ? "arm64" : "x86")];
        const set = loadConfigSet(files, { onWarning: printWarning });
        const modes = opts.mode === "both" ? ["upstream", "strict"] : [opts.mode];
        if (!modes.every((m) => m === "upstream" || m === "strict")) {
          throw inputError("WRD900", `--mode must be upstream, strict or both, got "${opts.mode}"`);
        }
        const chosen =
          opts.model === "all"
            ? Object.values(bindings)
            : [Object.hasOwn(bindings, opts.model) ? bindings[opts.model as keyof typeof bindings] : undefined];
        if (chosen.some((b) => b === undefined)) {
          throw inputError(
            "WRD900",
            `--model must be lifecycle, ownership, vote, virtio-msi or all, got "${opts.model}"`,
          );
        }
        const upstream = opts.upstreamSrc !== undefined ? upstreamFor(opts.upstreamSrc) : undefined;
        const external = opts.impl ? processImplementation(opts.impl, files) : upstream;
        const factory: ImplementationFactory = external?.factory ?? builtinImplementation;
        if (opts.impl) {
          // The protocol's virtio commands are Warden's extension; another implementation is asked only when named.
          if (opts.model === "all") chosen.splice(0, chosen.length, ...chosen.filter((b) => b?.name !== "virtio-msi"));
        }
        if (upstream) {
          chosen.splice(0, chosen.length, ...chosen.filter((b) => b && UPSTREAM_SERVED_MODELS.has(b.name)));
          modes.splice(0, modes.length, ...modes.filter((m) => m === "upstream"));
          if (chosen.length === 0 || modes.length === 0)
            throw inputError("WRD900", "the C harness serves --model lifecycle (or all) in --mode upstream (or both)");
          process.stderr.write(`conform: implementation under test: ${upstream.label}\n`);
        }
        try {
          if (opts.replay)
            return await replayTrace(opts.replay, set, modes as Mode[], factory, opts.json, chosen[0] as ModelBinding);
          const options = {
            runs: count(opts.runs, "--runs"),
            steps: count(opts.steps, "--steps"),
            ...(opts.seed !== undefined ? { seed: count(opts.seed, "--seed") } : {}),
            coverage: { stateLimit: COVERAGE_STATE_LIMIT },
          };
          const reports: ConformReport[] = [];
          for (const binding of chosen as ModelBinding[]) {
            for (const mode of modes as Mode[]) {
              // `--mode both` checks a binding in the modes that can differ for it; a named mode is honoured.
              if (opts.mode === "both" && binding.modes && !binding.modes.includes(mode)) continue;
              reports.push(await conform(set, mode, factory, options, binding));
            }
          }
          const failed = reports.find((r) => r.failure);
          if (failed?.failure && opts.itf) {
            atomicWrite(
              opts.itf,
              `${JSON.stringify(toItf(failed.failure.modelTrace, { source: "warden conform" }), null, 1)}\n`,
            );
          }
          writeJunit(
            opts.junit,
            "warden conform",
            reports.map((r) => ({
              name: `${r.model} ${r.mode}`,
              classname: "warden.conform",
              outcome: r.failure ? "failed" : "passed",
              ...(r.failure ? { message: `departs at step ${r.failure.departure.step}`, details: describe(r) } : {}),
            })),
          );
          const labelled = upstream ? reports.map((r) => ({ ...r, implementation: upstream.label })) : reports;
          process.stdout.write(opts.json ? `${JSON.stringify(labelled)}\n` : reports.map(describe).join(""));
          // A label the model reaches but the run never exercised is a gap in the evidence, like a departure.
          const uncovered = opts.coverageGate && reports.some((r) => (r.coverage?.missing.length ?? 0) > 0);
          return failed || uncovered ? 1 : 0;
        } finally {
          external?.close();
        }
      }),
    );

  program
    .command("core-server")
    .description("serve Warden's core over the conformance protocol on stdin/stdout (for `warden conform --impl`)")
    .action(
      runAction(async (): Promise<ExitCode> => {
        await serveCore(process.stdin, process.stdout);
        return 0;
      }),
    );
}

type Mode = "upstream" | "strict";

function upstreamFor(flag: string | boolean) {
  const dir = upstreamSource(typeof flag === "string" ? flag : undefined);
  if (!dir)
    throw inputError("WRD502", "--upstream-src needs a Jailhouse source tree: give DIR or set WARDEN_UPSTREAM_SRC");
  return upstreamImplementation(dir);
}

async function replayTrace(
  file: string,
  set: Parameters<typeof replay>[0],
  modes: readonly Mode[],
  factory: ImplementationFactory,
  json: boolean | undefined,
  binding: ModelBinding,
): Promise<ExitCode> {
  let trace: unknown;
  try {
    trace = JSON.parse(readRegularFile(file).toString("utf8"));
  } catch {
    throw inputError("WRD110", "cannot read the trace as JSON", { file });
  }
  const reports = [];
  for (const mode of modes) reports.push(await replay(set, mode, factory, trace, file, binding));
  if (json) process.stdout.write(`${JSON.stringify(reports)}\n`);
  else {
    for (const r of reports) {
      process.stdout.write(
        r.departure ? `${r.mode}: ${departure(r.departure).join("\n")}\n` : `${r.mode}: all ${r.steps} steps conform\n`,
      );
    }
  }
  return reports.some((r) => r.departure) ? 1 : 0;
}

function count(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw inputError("WRD900", `${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function departure(d: Departure): string[] {
  return [
    `DEPARTS at step ${d.step}: ${d.command}`,
    `    model expects ${d.expected.result}, state ${JSON.stringify(d.expected.state)}`,
    `    core gives    ${d.actual.result}, state ${JSON.stringify(d.actual.state)}`,
    ...d.actual.invariants.map((v) => `    violated ${v}`),
  ];
}

function describe(r: ConformReport): string {
  const outside = Object.entries(r.unmodelledKinds).map(([k, n]) => `${k}: ${n}`);
  const head = [
    `${r.model} ${r.mode}: ${r.runs} runs, ${r.stepsChecked} steps conform (${r.unmodelled} outside the model's abstraction${outside.length > 0 ? `: ${outside.join(", ")}` : ""}); seed ${r.seed}`,
    ...coverageLines(r),
    "",
  ].join("\n");
  if (!r.failure) return head;
  return [
    head.trimEnd(),
    `  ${departure(r.failure.departure).join("\n  ")}`,
    "  minimal run:",
    ...r.failure.commands.map((c, i) => `    ${i + 1}. ${c}`),
    `  replay: warden conform --model ${r.model} --mode ${r.mode} --seed ${r.seed} (fast-check path ${r.failure.path})`,
    "",
  ].join("\n");
}

function coverageLines(r: ConformReport): string[] {
  const c = r.coverage;
  if (!c) return [];
  const hit = c.reachable.length - c.missing.length;
  const bound = c.complete ? "" : ` (model search stopped at ${c.modelStates} states: at least this many)`;
  return [
    `  action coverage: ${hit} of ${c.reachable.length} reachable labels exercised${bound}`,
    ...Object.entries(c.exercised).map(([label, n]) => `    ${String(n).padStart(7)}  ${label}`),
    ...c.missing.map((label) => `          0  ${label}   NEVER EXERCISED`),
  ];
}
