import type { Command } from "commander";
import { formatSummary, summaryData } from "../../generators/index.js";
import {
  bindings,
  builtinImplementation,
  type ConfigSet,
  checkModel,
  configFacts,
  conform,
  loadConfigSet,
  loadExampleSet,
  proveIsolation,
  resolveModels,
  verdictName,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface StageResult {
  readonly ok: boolean;
  readonly detail: string;
}

interface Stage {
  readonly name: string;
  readonly run: (set: ConfigSet) => StageResult | Promise<StageResult>;
}

/**
 * The stages of the main job, in order. Conformance, the code-size audit and the dossier are
 * appended here as they land.
 */
const stages: readonly Stage[] = [
  {
    name: "configuration set",
    run: (set) => ({
      ok: true,
      detail: `${1 + set.cells.length} cells (${set.system.config.arch}) decoded and validated`,
    }),
  },
  {
    name: "isolation proofs (Z3)",
    run: async (set) => {
      const results = await proveIsolation(set);
      const violated = results.filter((r) => r.verdict === "violated").map((r) => r.rule.id);
      return {
        ok: violated.length === 0,
        detail:
          violated.length === 0
            ? `${results.length} obligations proved`
            : `${violated.length} of ${results.length} obligations violated: ${violated.join(", ")} (see warden prove)`,
      };
    },
  },
  modelStage("cell lifecycle model", "CellLifecycle"),
  modelStage("resource ownership model (upstream semantics)", "ResourceOwnership"),
  {
    name: "conformance of the hypervisor core to the models",
    run: async (set) => {
      const reports = [];
      for (const binding of Object.values(bindings)) {
        for (const mode of ["upstream", "strict"] as const) {
          reports.push(await conform(set, mode, builtinImplementation, { runs: 15, steps: 20, seed: 1 }, binding));
        }
      }
      const failed = reports.find((r) => r.failure);
      const steps = reports.reduce((n, r) => n + r.stepsChecked, 0);
      return {
        ok: failed === undefined,
        detail: failed?.failure
          ? `${failed.model} ${failed.mode} departs at step ${failed.failure.departure.step}: ${failed.failure.departure.command} (see warden conform)`
          : `${steps} steps conform (CellLifecycle and ResourceOwnership, upstream and strict)`,
      };
    },
  },
];

/** Checks a model instantiated from the configuration set. */
function modelStage(name: string, model: string): Stage {
  return {
    name,
    run: (set) => {
      const [resolved] = resolveModels([model], {}, configFacts(set));
      if (!resolved) return { ok: false, detail: "model missing" };
      const v = checkModel(resolved.model);
      const s = v.stats;
      return {
        ok: v.kind === "holds",
        detail: `${verdictName(v)}${v.kind === "violated" ? ` (${v.property}; see warden check ${model} --config …)` : ""}, ${s.distinctStates} states, depth ${s.depth}`,
      };
    },
  };
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("the main job: verify a configuration set (default: the built-in x86 example)")
    .argument("[system]", "system configuration or configuration-set document")
    .argument("[cells...]", "non-root cell configurations")
    .option("--example <name>", "built-in example to use when no file is given (x86 or arm64)", "x86")
    .option("--json", "print the result as JSON")
    .action(
      runAction(
        async (
          system: string | undefined,
          cells: string[],
          opts: { example: string; json?: boolean },
        ): Promise<ExitCode> => {
          const started = performance.now();
          const set =
            system === undefined
              ? loadExampleSet(opts.example === "arm64" ? "arm64" : "x86", { onWarning: printWarning })
              : loadConfigSet([system, ...cells], { onWarning: printWarning });
          const results: (StageResult & { stage: string; ms: number })[] = [];
          for (const [i, stage] of stages.entries()) {
            const t = performance.now();
            process.stderr.write(`[${i + 1}/${stages.length}] ${stage.name} ...\n`);
            const r = await stage.run(set);
            const ms = Math.round(performance.now() - t);
            process.stderr.write(`[${i + 1}/${stages.length}] ${stage.name}: ${r.ok ? "ok" : "FAILED"} (${ms} ms)\n`);
            results.push({ stage: stage.name, ms, ...r });
          }
          const ok = results.every((r) => r.ok);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ ok, stages: results, summary: summaryData(set) }, null, 2)}\n`);
          } else {
            process.stdout.write(formatSummary(set));
            for (const r of results) process.stdout.write(`[${r.ok ? "ok" : "FAILED"}] ${r.stage}: ${r.detail}\n`);
            process.stdout.write(
              `verify ${ok ? "passed" : "FAILED"} in ${Math.round(performance.now() - started)} ms\n`,
            );
          }
          return ok ? 0 : 1;
        },
      ),
    );
}
