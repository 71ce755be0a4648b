import { basename, extname, join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, formatSummary, type SummaryInput, summaryData } from "../../generators/index.js";
import {
  type ConfigDocument,
  configToJson,
  configToYaml,
  encodeCell,
  encodeSystem,
  formatOf,
  inputError,
  type LoadedFile,
  loadConfigFile,
  refuseInputs,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

export function registerConfig(program: Command): void {
  const config = program.command("config").description("read, summarise and convert Jailhouse configurations");
  config
    .command("show")
    .description("summarise configurations: cells, CPUs, memory map, devices, IRQ pins, PIO, vote settings")
    .argument("<files...>", "binary .cell, .yaml or .json configurations")
    .option("--json", "print the summary as JSON")
    .option("--arch <arch>", "architecture of revision-12/13 binaries (they carry none)")
    .action(runAction((files: string[], opts: { json?: boolean; arch?: string }) => show(files, opts)));
  config
    .command("convert")
    .description("convert between binary .cell (revision 14), YAML and JSON, chosen by extension")
    .argument("<in>", "input configuration")
    .argument("<out>", "output file (a directory for a set converted to .cell)")
    .option("--revision <n>", "revision of binary output (only 14 is written)", "14")
    .option("--arch <arch>", "architecture of revision-12/13 binaries (they carry none)")
    .option("--json", "print the written files as JSON")
    .action(
      runAction((input: string, out: string, opts: { revision: string; arch?: string; json?: boolean }): ExitCode => {
        const written = convert(input, out, opts);
        process.stdout.write(
          opts.json ? `${JSON.stringify({ input, written })}\n` : written.map((w) => `${w}\n`).join(""),
        );
        return 0;
      }),
    );
}

const archOption = (arch?: string) => {
  if (arch === undefined) return {};
  if (arch !== "x86" && arch !== "arm" && arch !== "arm64")
    throw inputError("WRD900", `--arch must be x86, arm or arm64, got "${arch}"`);
  return { arch } as const;
};

function toSummaryInput(f: LoadedFile): SummaryInput {
  if (f.kind === "set") return f.set;
  return f.kind === "system" ? { system: f.loaded, cells: [] } : { cells: [f.loaded] };
}

function show(files: readonly string[], opts: { json?: boolean; arch?: string }): ExitCode {
  const loaded = files.map((f) => loadConfigFile(f, { onWarning: printWarning, ...archOption(opts.arch) }));
  const system = loaded.flatMap((f) => (f.kind === "system" ? [f.loaded] : f.kind === "set" ? [f.set.system] : []))[0];
  const input: SummaryInput = {
    ...(system ? { system } : {}),
    cells: loaded.flatMap((f) => toSummaryInput(f).cells),
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(summaryData(input), null, 2)}\n`);
  else process.stdout.write(formatSummary(input));
  return 0;
}

function toDocument(f: LoadedFile): ConfigDocument {
  if (f.kind === "set") return { kind: "set", system: f.set.system.config, cells: f.set.cells.map((c) => c.config) };
  return f.kind === "system" ? { kind: "system", system: f.loaded.config } : { kind: "cell", cell: f.loaded.config };
}

/** Converts `input` into `out`; returns the files written. */
function convert(input: string, out: string, opts: { revision: string; arch?: string }): string[] {
  if (opts.revision !== "14") throw inputError("WRD900", `--revision ${opts.revision}: Warden writes revision 14 only`);
  const outFormat = extname(out) === "" ? "cell" : formatOf(out);
  refuseInputs(out, [input]);
  const doc = toDocument(loadConfigFile(input, { onWarning: printWarning, ...archOption(opts.arch) }));
  if (outFormat === "yaml") atomicWrite(out, configToYaml(doc));
  else if (outFormat === "json") atomicWrite(out, configToJson(doc));
  else if (doc.kind === "set") {
    if (extname(out) !== "")
      throw inputError("WRD120", "a configuration set converts to a directory of .cell files; name a directory", {
        file: out,
      });
    const files: [string, Uint8Array][] = [
      [`${doc.system.root_cell.name}.cell`, encodeSystem(doc.system)],
      ...doc.cells.map((c): [string, Uint8Array] => [`${c.name}.cell`, encodeCell(c)]),
    ];
    for (const [name, bytes] of files) {
      refuseInputs(join(out, name), [input]);
      atomicWrite(join(out, name), bytes);
    }
    return files.map(([name]) => join(out, name));
  } else if (extname(out) === "") {
    throw inputError("WRD120", `output ${basename(out)} needs an extension (.cell, .yaml, .json)`, { file: out });
  } else atomicWrite(out, doc.kind === "system" ? encodeSystem(doc.system) : encodeCell(doc.cell));
  return [out];
}
