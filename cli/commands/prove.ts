import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, toSarif } from "../../generators/index.js";
import {
  describeWitness,
  loadConfigSet,
  loadExampleSet,
  proveIsolation,
  readSharingPolicy,
  refuseInputs,
  version,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface Options {
  readonly sharing?: string;
  readonly smt2?: string;
  readonly sarif?: string;
  readonly json?: boolean;
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
    .action(runAction((system: string | undefined, cells: string[], opts: Options) => prove(system, cells, opts)));
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
  if (opts.smt2) for (const r of results) atomicWrite(join(opts.smt2, `${r.rule.id}.smt2`), r.smt2);
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
