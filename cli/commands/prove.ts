import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, toSarif } from "../../generators/index.js";
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
  parseParams,
  proofFailed,
  proveIsolation,
  proveModel,
  readSharingPolicy,
  refuseInputs,
  resolveModels,
  version,
} from "../../proofs/index.js";
import { factsOf } from "../configOption.js";
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
  if (opts.itf) refuseInputs(opts.itf, opts.config ?? []);
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
  if (opts.json) process.stdout.write(`${JSON.stringify(modelProofJson(proof, resolved.params))}\n`);
  else process.stdout.write(formatModelProof(proof));
  const cex = opts.itf ? firstCounterexample(proof) : undefined;
  if (opts.itf && cex) {
    atomicWrite(opts.itf, `${JSON.stringify(cex, null, 2)}\n`);
    process.stderr.write(`counterexample written to ${opts.itf}\n`);
  }
  return proofFailed(proof) ? 1 : 0;
}

async function prove(system: string | undefined, cells: readonly string[], opts: Options): Promise<ExitCode> {
  const inputs = system === undefined ? [] : [system, ...cells];
  for (const out of [opts.sarif].filter((x): x is string => x !== undefined)) refuseInputs(out, inputs);
  const set =
    system === undefined
      ? loadExampleSet("x86", { onWarning: printWarning })
      : loadConfigSet(inputs, { onWarning: printWarning });
  const policy = opts.sharing ? readSharingPolicy(opts.sharing) : [];
  const results = await proveIsolation(set, policy);
  if (opts.smt2)
    for (const p of results.flatMap((r) => r.parts)) atomicWrite(join(opts.smt2, `${p.name}.smt2`), p.smt2);
  const described = results.map((r) => ({ r, messages: r.witnesses.map((w) => describeWitness(r, w)) }));
  if (opts.sarif) {
    const sarif = toSarif({
      toolVersion: version,
      obligations: described.map(({ r, messages }) => ({
        id: r.rule.id,
        title: r.rule.title,
        description: r.rule.description,
        verdict: r.verdict,
        witnesses: r.witnesses.map((w, i) => ({ message: messages[i] ?? "", first: w.first, second: w.second })),
      })),
    });
    atomicWrite(opts.sarif, `${JSON.stringify(sarif, null, 2)}\n`);
  }
  if (opts.json) {
    const rows = described.map(({ r, messages }) => ({
      rule: r.rule.id,
      title: r.rule.title,
      verdict: r.verdict,
      ms: r.ms,
      witnesses: r.witnesses.map((w, i) => ({
        at: `0x${w.at.toString(16)}`,
        first: w.first,
        second: w.second,
        message: messages[i],
      })),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const { r, messages } of described) {
      process.stdout.write(
        `[${r.verdict === "proved" ? "proved" : "violated"}] ${r.rule.id}: ${r.rule.title} (${r.ms} ms)\n`,
      );
      for (const m of messages.slice(0, 10)) process.stdout.write(`    ${m}\n`);
      if (messages.length > 10) process.stdout.write(`    … ${messages.length - 10} more\n`);
    }
  }
  return results.some((r) => r.verdict === "violated") ? 1 : 0;
}
