import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, emitTla } from "../../generators/index.js";
import { inputHash, parseParams, resolveModels, version } from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { collect } from "../options.js";
import { type ExitCode, runAction } from "../runAction.js";

export function registerTla(program: Command): void {
  program
    .command("tla")
    .description("emit models as TLA+ modules with MC modules and .cfg files for TLC")
    .argument("[models...]", "model names (default: every registered model)")
    .requiredOption("--out <dir>", "directory to write the modules into")
    .option("--param <k=v>", "bind a model parameter (repeatable)", collect, [])
    .option("--config <files...>", "instantiate the models from a configuration set (system, then cells)")
    .option("--json", "print the written files as JSON")
    .action(
      runAction(
        (models: string[], opts: { out: string; param: string[]; json?: boolean; config?: string[] }): ExitCode => {
          const written: string[] = [];
          for (const { name, params, model } of resolveModels(models, parseParams(opts.param), factsOf(opts.config))) {
            const args = Object.entries(params).map(([k, v]) => ` --param ${k}=${v}`);
            const emitted = emitTla(model, {
              command: `warden tla ${name}${args.join("")}`,
              version,
              inputHash: inputHash(model),
            });
            for (const [file, text] of Object.entries(emitted.files)) {
              atomicWrite(join(opts.out, file), text);
              written.push(join(opts.out, file));
            }
          }
          process.stdout.write(opts.json ? `${JSON.stringify({ written })}\n` : written.map((w) => `${w}\n`).join(""));
          return 0;
        },
      ),
    );
}
