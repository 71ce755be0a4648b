import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, type SarifSource, toSarif } from "../../generators/index.js";
import {
  describeWitness,
  EncodingError,
  firstCounterexample,
  formatModelProof,
  inputError,
  loadConfigSet,
  loadExampleSet,
  modelProofJson,
  obligationFiles,
  onSourceLine,
  parseParams,
  proofFailed,
  proveIsolation,
  proveModel,
  readSharingPolicy,
  refuseInputs,
  repositoryRoot,
  resolveModels,
  sourceLocationOf,
  version,
  yamlLocationOf,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
import { junitHelp, writeJunit } from "../junitOption.js";
import { collect } from "../options.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface Options {
  readonly sharing?: string;
  readonly smt2?: string;
  readonly sarif?: string;
  readonly json?: boolean;
  readonly model?: string;
  readonly param: string[];
  readonly bmc?: string;
  readonly config?: string[];
  readonly itf?: string;
  readonly junit?: string;
}

export function registerProve(program: Command): void {
  program
    .command("prove")
    .description("prove with Z3 that no two cells share a resource (default: the built-in x86 example)")
    .argument("[system]", "system configuration or configuration-set document")
    .argument("[cells...]", "non-root cell configurations")
    .option("--sharing <file>", "YAML policy declaring intended sharing, each entry with a reason")
    .option("--smt2 <dir>", "save every obligation as SMT-LIB")
    .option("--sarif <file>", "write the findings as SARIF 2.1.0")
    .option("--json", "print the verdicts as JSON")
    .option("--junit <file>", junitHelp)
    .option("--model <name>", "instead: check a model's invariants for induction and by bounded model checking")
    .option("--param <k=v>", "with --model: bind a model parameter (repeatable)", collect, [])
    .option("--bmc <k>", "with --model: bounded model checking to k steps (default 0: the initial states)")
    .option("--config <files...>", "with --model: instantiate the model from a configuration set (system, then cells)")
    .option("--itf <file>", "with --model: write the first counterexample as an ITF trace")
    .action(
      runAction((system: string | undefined, cells: string[], opts: Options) =>
        opts.model === undefined ? prove(system, cells, opts) : proveOneModel(opts.model, system, opts),
      ),
    );
}

async function proveOneModel(name: string, system: string | undefined, opts: Options): Promise<ExitCode> {
  if (system !== undefined)
    throw inputError("WRD900", `--model takes no configuration arguments (use --config), got "${system}"`);
  const depth = opts.bmc === undefined ? 0 : Number(opts.bmc);
  if (!Number.isInteger(depth) || depth < 0 || depth > 100) {
    throw inputError("WRD900", `--bmc expects an integer from 0 to 100, got "${opts.bmc}"`);
  }
  for (const out of [opts.itf, opts.junit]) if (out) refuseInputs(out, opts.config ?? []);
  const [resolved] = resolveModels([name], parseParams(opts.param), factsOf(opts.config));
  if (!resolved) throw inputError("WRD300", `unknown model "${name}"`);
  let proof: Awaited<ReturnType<typeof proveModel>>;
  try {
    proof = await proveModel(resolved.model, { bmc: depth });
  } catch (error) {
    if (error instanceof EncodingError)
      throw inputError("WRD900", `${name}: not translatable for Z3: ${error.message}`);
    throw error;
  }
  if (opts.smt2) for (const f of obligationFiles(proof)) atomicWrite(join(opts.smt2, f.name), f.smt2);
  if (proof.unknown !== undefined) process.stderr.write(unknownNote(1));
  if (opts.json) process.stdout.write(`${JSON.stringify(modelProofJson(proof, resolved.params))}\n`);
  else process.stdout.write(formatModelProof(proof));
  writeJunit(opts.junit, `warden prove --model ${name}`, [
    {
      name,
      classname: "warden.prove.model",
      outcome: proofFailed(proof) ? "failed" : "passed",
      ...(proofFailed(proof) ? { message: "an invariant is not proved", details: formatModelProof(proof) } : {}),
    },
  ]);
  const cex = opts.itf ? firstCounterexample(proof) : undefined;
  if (opts.itf && cex) {
    atomicWrite(opts.itf, `${JSON.stringify(cex, null, 2)}\n`);
    process.stderr.write(`counterexample written to ${opts.itf}\n`);
  }
  return proofFailed(proof) ? 1 : 0;
}

async function prove(system: string | undefined, cells: readonly string[], opts: Options): Promise<ExitCode> {
  const inputs = system === undefined ? [] : [system, ...cells];
  for (const out of [opts.sarif, opts.junit].filter((x): x is string => x !== undefined)) refuseInputs(out, inputs);
  const set =
    system === undefined
      ? loadExampleSet("x86", { onWarning: printWarning })
      : loadConfigSet(inputs, { onWarning: printWarning });
  const policy = opts.sharing ? readSharingPolicy(opts.sharing) : [];
  const results = await proveIsolation(set, policy);
  if (opts.smt2)
    for (const p of results.flatMap((r) => r.parts)) atomicWrite(join(opts.smt2, `${p.name}.smt2`), p.smt2);
  const described = results.map((r) => ({
    r,
    messages: r.witnesses.map((w) =>
      describeWitness(r, { ...w, first: onSourceLine(w.first), second: onSourceLine(w.second) }),
    ),
  }));
  if (opts.sarif) {
    const sarif = toSarif({
      toolVersion: version,
      root: repositoryRoot(),
      obligations: described.map(({ r, messages }) => ({
        id: r.rule.id,
        title: r.rule.title,
        description: r.rule.description,
        verdict: r.verdict,
        witnesses: r.witnesses.map((w, i) => ({
          message: messages[i] ?? "",
          first: withSource(w.first),
          second: withSource(w.second),
        })),
      })),
    });
    atomicWrite(opts.sarif, `${JSON.stringify(sarif, null, 2)}\n`);
  }
  writeJunit(
    opts.junit,
    "warden prove",
    described.map(({ r, messages }) => ({
      name: `${r.rule.id}: ${r.rule.title}`,
      classname: "warden.prove",
      seconds: r.ms / 1000,
      outcome: r.verdict === "violated" ? "failed" : "passed",
      ...(r.verdict === "violated" ? { message: `${messages.length} witness(es)`, details: messages.join("\n") } : {}),
    })),
  );
  if (opts.json) {
    const rows = described.map(({ r, messages }) => ({
      rule: r.rule.id,
      title: r.rule.title,
      verdict: r.verdict,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ms: r.ms,
      witnesses: r.witnesses.map((w, i) => ({
        at: `0x${w.at.toString(16)}`,
        first: withSource(w.first),
        second: withSource(w.second),
        message: messages[i],
      })),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const { r, messages } of described) {
      const reason = r.reason !== undefined ? `: ${r.reason}` : "";
      process.stdout.write(`[${r.verdict}] ${r.rule.id}: ${r.rule.title} (${r.ms} ms)${reason}\n`);
      for (const m of messages.slice(0, 10)) process.stdout.write(`    ${m}\n`);
      if (messages.length > 10) process.stdout.write(`    … ${messages.length - 10} more\n`);
    }
  }
  const unknown = results.filter((r) => r.verdict === "unknown").length;
  if (unknown > 0) process.stderr.write(unknownNote(unknown));
  return results.some((r) => r.verdict !== "proved") ? 1 : 0;
}

/** An unknown obligation is not a verdict: say so once, with the way out. */
function unknownNote(n: number): string {
  return `warden: ${n} obligation(s) unknown: Z3 gave no whole answer; re-run, or set WARDEN_Z3 to a native z3 binary\n`;
}

type WitnessRef = Parameters<typeof describeWitness>[1]["first"];

/** The C source place of a witness's descriptor, when its file is a C configuration. */
const sourceOf = (r: WitnessRef) => (r.byteOffset !== undefined ? sourceLocationOf(r.file, r.byteOffset) : undefined);

/** For JSON and SARIF: the reference plus its source place (a C initializer, or a YAML field's line and column). */
function withSource(r: WitnessRef): WitnessRef & { source?: SarifSource } {
  const c = sourceOf(r);
  if (c) return { ...r, source: c };
  const yaml = r.field !== undefined ? yamlLocationOf(r.file, r.field) : undefined;
  return yaml && r.field !== undefined
    ? { ...r, source: { file: r.file, line: yaml.line, column: yaml.column, element: r.field } }
    : r;
}
