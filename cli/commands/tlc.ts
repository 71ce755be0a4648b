import type { Command } from "commander";
import { emitTla } from "../../generators/index.js";
import {
  checkModel,
  defaultTlcServerPort,
  inputError,
  inputHash,
  parseParams,
  resolveModels,
  runTlc,
  runTlcDistributed,
  runTlcWorker,
  tlcJar,
  verdictName,
  version,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { collect, positive } from "../options.js";

interface TlcOptions {
  readonly param: string[];
  readonly json?: boolean;
  readonly config?: string[];
  readonly distributed?: boolean;
  readonly serve?: boolean;
  readonly worker?: string;
  readonly port?: string;
  readonly localWorkers?: string;
  readonly threads?: string;
}

import { type ExitCode, runAction } from "../runAction.js";

export function registerTlc(program: Command): void {
  program
    .command("tlc")
    .description("run TLC on the emitted TLA+ and compare its counts and verdict with Warden's checker")
    .argument("[models...]", "model names (default: every registered model)")
    .option("--param <k=v>", "bind a model parameter (repeatable)", collect, [])
    .option("--config <files...>", "instantiate the models from a configuration set (system, then cells)")
    .option("--json", "print one JSON comparison per model")
    .option("--distributed", "run TLC's distributed mode (TLCServer and TLCWorkers over RMI; invariants only)")
    .option("--serve", "with --distributed: run the server here and print the command workers elsewhere run")
    .option("--worker <host>", "with --distributed: join the TLC server on host as a worker (no models)")
    .option("--port <n>", `with --distributed: the server's RMI port (default ${defaultTlcServerPort})`)
    .option("--local-workers <n>", "with --distributed: workers started on this machine (default 2, 0 with --serve)")
    .option("--threads <n>", "with --distributed: threads per local worker (default 1)")
    .action(
      runAction(async (models: string[], opts: TlcOptions): Promise<ExitCode> => {
        const jar = tlcJar();
        const port = opts.port === undefined ? defaultTlcServerPort : positive(opts.port, "--port");
        if ((opts.serve || opts.worker || opts.localWorkers || opts.threads) && !opts.distributed)
          throw inputError("WRD900", "--serve, --worker, --local-workers and --threads need --distributed");
        if (opts.worker !== undefined) {
          if (models.length > 0 || opts.serve)
            throw inputError("WRD900", "--worker joins a server and takes no models (the server has the spec)");
          const threads = opts.threads === undefined ? undefined : positive(opts.threads, "--threads");
          return (await runTlcWorker(opts.worker, { port, jar, ...(threads ? { threads } : {}) })) === 0 ? 0 : 1;
        }
        const localWorkers =
          opts.localWorkers === undefined
            ? opts.serve
              ? 0
              : 2
            : opts.localWorkers === "0"
              ? 0
              : positive(opts.localWorkers, "--local-workers");
        const threadsPerWorker = opts.threads === undefined ? 1 : positive(opts.threads, "--threads");
        let code: ExitCode = 0;
        for (const { name, model } of resolveModels(models, parseParams(opts.param), factsOf(opts.config))) {
          const ours = checkModel(model);
          const emitted = emitTla(model, { command: `warden tlc ${name}`, version, inputHash: inputHash(model) });
          const tlc = opts.distributed
            ? await runTlcDistributed(
                model.name,
                emitted,
                {
                  port,
                  localWorkers,
                  threadsPerWorker,
                  onServing: (command) =>
                    process.stderr.write(
                      `[warden] TLC server for ${name} is ready on port ${port}; ${
                        localWorkers > 0 ? `${localWorkers} local worker(s) started; ` : ""
                      }workers on other machines run:\n  ${command}\n`,
                    ),
                },
                jar,
              )
            : runTlc(model.name, emitted, jar);
          const wardenVerdict = verdictName(ours);
          // Distributed TLC checks invariants only and is not breadth-first across workers: its
          // distinct count is comparable on a completed search, its verdict with Warden's safety verdict.
          const expected = opts.distributed && wardenVerdict === "liveness failure" ? "success" : wardenVerdict;
          const same = opts.distributed
            ? tlc.verdict === expected && (expected !== "success" || tlc.distinctStates === ours.stats.distinctStates)
            : tlc.distinctStates === ours.stats.distinctStates &&
              tlc.generatedStates === ours.stats.generatedStates &&
              tlc.verdict === wardenVerdict;
          if (!same || ours.kind !== "holds") code = 1;
          const row = {
            model: name,
            agree: same,
            warden: { verdict: wardenVerdict, ...ours.stats },
            tlc: {
              verdict: tlc.verdict,
              distinctStates: tlc.distinctStates,
              generatedStates: tlc.generatedStates,
              depth: tlc.depth,
              ms: tlc.ms,
              version: tlc.version,
              mode: "workersRegistered" in tlc ? "distributed (invariants only)" : "one worker",
              workers: "workersRegistered" in tlc ? tlc.workersRegistered : 1,
            },
          };
          if (opts.json) process.stdout.write(`${JSON.stringify(row)}\n`);
          else {
            process.stdout.write(
              `[${same ? "agree" : "DISAGREE"}] ${name}: Warden ${row.warden.verdict}, ${ours.stats.distinctStates} distinct / ${ours.stats.generatedStates} generated / depth ${ours.stats.depth}; ` +
                `TLC${opts.distributed ? ` distributed (${row.tlc.workers} workers, invariants only)` : ""} ${tlc.verdict}, ${tlc.distinctStates} / ${tlc.generatedStates} / depth ${tlc.depth} (${tlc.version})\n`,
            );
          }
        }
        return code;
      }),
    );
}
