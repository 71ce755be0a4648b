import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { atomicWrite, checkJson, formatCheckText, type JunitCase, toItf } from "../../generators/index.js";
import {
  checkModelParallel,
  inputError,
  lifecycleDiagram,
  parseParams,
  type ResolvedModel,
  refuseInputs,
  resolveModels,
  type Verdict,
  voteDiagram,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { junitHelp, writeJunit } from "../junitOption.js";
import { collect, positive } from "../options.js";
import { type ExitCode, runAction } from "../runAction.js";

interface Options {
  readonly param: string[];
  readonly config?: string[];
  readonly maxStates?: string;
  readonly maxMemory?: string;
  readonly workers?: string;
  readonly deadlock: boolean;
  readonly json?: boolean;
  readonly itf?: string;
  readonly stateDiagram?: string;
  readonly sequenceDiagram?: string;
  readonly junit?: string;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check models exhaustively with Warden's explicit-state checker")
    .argument("[models...]", "model names (default: every registered model)")
    .option("--param <k=v>", "bind a model parameter (repeatable)", collect, [])
    .option("--config <files...>", "instantiate the models from a configuration set (system, then cells)")
    .option("--max-states <n>", "stop after this many distinct states")
    .option(
      "--max-memory <MiB>",
      "past this size the queue and fingerprint set go to disk (temporal properties: stop instead)",
      "4096",
    )
    .option("--workers <n>", "worker threads (default: the machine's cores; small state spaces use one)")
    .option("--no-deadlock", "do not report states without successors")
    .option("--json", "print one JSON result per model")
    .option("--itf <file>", "write the first counterexample as an ITF trace")
    .option("--junit <file>", junitHelp)
    .option("--state-diagram <file>", "write the cell lifecycle derived from the state graph as a Mermaid diagram")
    .option("--sequence-diagram <file>", "write the vote (an approved call, found by the checker) as a Mermaid diagram")
    .action(runAction((models: string[], opts: Options) => check(models, opts)));
}

async function check(names: readonly string[], opts: Options): Promise<ExitCode> {
  const resolved = resolveModels(names, parseParams(opts.param), factsOf(opts.config));
  if (opts.itf) refuseInputs(opts.itf, []);
  if (opts.junit) refuseInputs(opts.junit, opts.config ?? []);
  const cases: JunitCase[] = [];
  let code: ExitCode = 0;
  let itfWritten = false;
  for (const { name, params, model } of resolved) {
    const verdict: Verdict = await checkModelParallel(model, {
      workers: opts.workers ? positive(opts.workers, "--workers") : availableParallelism(),
      ...(opts.maxStates ? { maxStates: positive(opts.maxStates, "--max-states") } : {}),
      maxMemoryMiB: positive(opts.maxMemory ?? "4096", "--max-memory"),
      ...(opts.deadlock ? {} : { checkDeadlock: false }),
      onProgress: (p) =>
        process.stderr.write(
          `[${name}] ${p.distinct} distinct states, queue ${p.queue}, ${p.perSecond}/s` +
            `${p.memoryMiB === undefined ? "" : `, memory ${p.memoryMiB.toFixed(1)} MiB`}` +
            `${p.diskMiB === undefined ? "" : `, disk ${p.diskMiB.toFixed(1)} MiB`}\n`,
        ),
    });
    if (verdict.kind !== "holds") code = 1;
    cases.push({
      name,
      classname: "warden.check",
      seconds: verdict.stats.ms / 1000,
      outcome: verdict.kind === "holds" ? "passed" : verdict.kind === "violated" ? "failed" : "error",
      ...(verdict.kind === "violated" ? { message: `${verdict.property}: ${verdict.message}` } : {}),
      ...(verdict.kind === "incomplete" ? { message: verdict.reason } : {}),
      ...(verdict.kind !== "holds" ? { details: formatCheckText(name, verdict) } : {}),
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(checkJson(name, params, verdict))}\n`);
    else process.stdout.write(formatCheckText(name, verdict));
    if (opts.itf && verdict.kind === "violated" && !itfWritten && verdict.trace.steps.length > 0) {
      atomicWrite(opts.itf, `${JSON.stringify(toItf(verdict.trace, { source: `warden check ${name}` }), null, 2)}\n`);
      itfWritten = true;
      process.stderr.write(`counterexample written to ${opts.itf}\n`);
    }
  }
  writeJunit(opts.junit, "warden check", cases);
  const diagrams: [string | undefined, string, (m: ResolvedModel["model"]) => string][] = [
    [opts.stateDiagram, "CellLifecycle", lifecycleDiagram],
    [opts.sequenceDiagram, "ManagementVote", voteDiagram],
  ];
  for (const [file, modelName, draw] of diagrams) {
    if (!file) continue;
    const m = resolved.find((r) => r.name === modelName);
    if (!m)
      throw inputError(
        "WRD900",
        `${file}: this diagram is drawn from the ${modelName} model, which is not being checked`,
      );
    atomicWrite(file, draw(m.model));
    process.stderr.write(`diagram written to ${file}\n`);
  }
  return code;
}
