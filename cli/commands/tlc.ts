import type { Command } from "commander";
import { emitTla } from "../../generators/index.js";
import {
  checkModel,
  inputHash,
  parseParams,
  resolveModels,
  runTlc,
  tlcJar,
  verdictName,
  version,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { collect } from "../options.js";
import { type ExitCode, runAction } from "../runAction.js";

export function registerTlc(program: Command): void {
  program
    .command("tlc")
    .description("run TLC on the emitted TLA+ and compare its counts and verdict with Warden's checker")
    .argument("[models...]", "model names (default: every registered model)")
    .option("--param <k=v>", "bind a model parameter (repeatable)", collect, [])
    .option("--config <files...>", "instantiate the models from a configuration set (system, then cells)")
    .option("--json", "print one JSON comparison per model")
    .action(
      runAction((models: string[], opts: { param: string[]; json?: boolean; config?: string[] }): ExitCode => {
        const jar = tlcJar();
        let code: ExitCode = 0;
        for (const { name, model } of resolveModels(models, parseParams(opts.param), factsOf(opts.config))) {
          const ours = checkModel(model);
          const emitted = emitTla(model, { command: `warden tlc ${name}`, version, inputHash: inputHash(model) });
          const tlc = runTlc(model.name, emitted, jar);
          const same =
            tlc.distinctStates === ours.stats.distinctStates &&
            tlc.generatedStates === ours.stats.generatedStates &&
            tlc.verdict === verdictName(ours);
          if (!same || ours.kind !== "holds") code = 1;
          const row = {
            model: name,
            agree: same,
            warden: { verdict: verdictName(ours), ...ours.stats },
            tlc: {
              verdict: tlc.verdict,
              distinctStates: tlc.distinctStates,
              generatedStates: tlc.generatedStates,
              depth: tlc.depth,
              ms: tlc.ms,
              version: tlc.version,
            },
          };
          if (opts.json) process.stdout.write(`${JSON.stringify(row)}\n`);
          else {
            process.stdout.write(
              `[${same ? "agree" : "DISAGREE"}] ${name}: Warden ${row.warden.verdict}, ${ours.stats.distinctStates} distinct / ${ours.stats.generatedStates} generated / depth ${ours.stats.depth}; ` +
                `TLC ${tlc.verdict}, ${tlc.distinctStates} / ${tlc.generatedStates} / depth ${tlc.depth} (${tlc.version})\n`,
            );
          }
        }
        return code;
      }),
    );
}
