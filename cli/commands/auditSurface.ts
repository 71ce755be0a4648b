import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { atomicWrite, surfaceSarif } from "../../generators/index.js";
import {
  type ConfigSet,
  checkSurfaceBudget,
  cSurface,
  initCParser,
  inputError,
  loadBudget,
  loadConfigFile,
  loadConfigSet,
  packageRoot,
  refuseInputs,
  refuseSharedOutputs,
  repositoryRoot,
  type SurfaceDelta,
  type SurfaceReport,
  surfaceDiff,
  surfaceMarkdown,
  surfaceSvg,
  surfaceText,
  tsSurface,
  version,
} from "../../proofs/index.js";
import { printWarning } from "../printWarning.js";
import { type ExitCode, runAction } from "../runAction.js";

interface SurfaceOpts {
  against?: string[];
  sarif?: string;
  upstreamSrc?: string;
  // Shared with `warden audit` (parsed there, read through optsWithGlobals).
  budget?: string;
  json?: boolean;
  md?: string;
  svg?: string;
}

/** `warden audit surface`: registered under the `audit` command, whose --budget/--json/--md/--svg it shares. */
export function registerAuditSurface(audit: Command): void {
  audit
    .command("surface")
    .description("per cell: the hypervisor entry points its configuration reaches and the code behind them")
    .argument("<system>", "system configuration or set document")
    .argument("[cells...]", "cell configurations")
    .option("--against <files...>", "other configurations (a cell, system or set file) to compare reachable lines with")
    .option("--sarif <file>", "write surface-budget overruns as SARIF 2.1.0")
    .option("--upstream-src <dir>", "also measure upstream Jailhouse's C in this tree")
    .configureHelp({ showGlobalOptions: true })
    .action(
      runAction(
        (system: string, cells: string[], _opts: SurfaceOpts, command: Command): Promise<ExitCode> =>
          surface([system, ...cells], command.optsWithGlobals<SurfaceOpts>()),
      ),
    );
}

async function surface(inputs: readonly string[], opts: SurfaceOpts): Promise<ExitCode> {
  const outputs = [opts.md, opts.svg, opts.sarif];
  refuseSharedOutputs(outputs);
  const read = [...inputs, ...(opts.against ?? []), ...(opts.budget ? [opts.budget] : [])];
  for (const out of outputs) if (out !== undefined) refuseInputs(out, read);
  const set = loadConfigSet(inputs, { onWarning: printWarning });
  const budget = opts.budget ? loadBudget(opts.budget) : undefined;
  const report = tsSurface(set);
  const deltas: SurfaceDelta[] = (opts.against ?? []).flatMap((f) =>
    surfaceDiff(report, tsSurface(variant(set, f)), f),
  );
  const results = budget ? checkSurfaceBudget(budget, report) : [];
  const upstream = opts.upstreamSrc === undefined ? undefined : await upstreamSurface(set, opts.upstreamSrc);
  const upstreamDeltas =
    upstream && opts.upstreamSrc !== undefined
      ? (opts.against ?? []).flatMap((f) =>
          surfaceDiff(upstream, cSurface(variant(set, f), opts.upstreamSrc as string), f),
        )
      : [];
  if (opts.sarif && opts.budget)
    atomicWrite(
      opts.sarif,
      `${JSON.stringify(surfaceSarif({ toolVersion: version, root: repositoryRoot(), budgetFile: opts.budget, coreRoot: join(packageRoot, "hypervisor"), targets: results }), null, 2)}\n`,
    );
  else if (opts.sarif) throw inputError("WRD900", "--sarif reports surface-budget overruns: give --budget too");
  if (opts.md !== undefined)
    atomicWrite(
      opts.md,
      surfaceMarkdown(report, results, deltas) + (upstream ? `\n${surfaceMarkdown(upstream, [], upstreamDeltas)}` : ""),
    );
  if (opts.svg !== undefined) atomicWrite(opts.svg, surfaceSvg(report, results));
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ surface: lean(report), deltas, budget: results, ...(upstream ? { upstream: lean(upstream), upstreamDeltas } : {}) }, null, 2)}\n`
      : surfaceText(report, results, deltas) + (upstream ? surfaceText(upstream, [], upstreamDeltas) : ""),
  );
  return results.some((t) => t.overruns.length > 0) ? 1 : 0;
}

/** The set with `file` applied: a cell replaces the cell of its name, a system or set replaces the set. */
function variant(set: ConfigSet, file: string): ConfigSet {
  const f = loadConfigFile(file, { onWarning: printWarning, arch: set.system.config.arch });
  if (f.kind === "set") return f.set;
  if (f.kind === "system") return { system: f.loaded, cells: set.cells };
  const i = set.cells.findIndex((c) => c.config.name === f.loaded.config.name);
  if (i < 0)
    throw inputError("WRD202", `cell "${f.loaded.config.name}" is not in the configuration compared`, { file });
  return { system: set.system, cells: set.cells.map((c, j) => (j === i ? f.loaded : c)) };
}

/** The same cells on upstream Jailhouse's C in `tree` (x86 only). */
async function upstreamSurface(set: ConfigSet, tree: string): Promise<SurfaceReport> {
  if (!existsSync(join(tree, "hypervisor", "control.c")))
    throw inputError("WRD900", "not a Jailhouse tree (no hypervisor/control.c)", { file: tree });
  if (set.system.config.arch !== "x86")
    throw inputError("WRD900", "--upstream-src measures upstream's x86 (VMX) build only", { file: tree });
  await initCParser();
  return cSurface(set, tree);
}

/** The report without per-line keys (they only serve comparisons). */
const lean = (r: SurfaceReport) => ({ ...r, cells: r.cells.map(({ lineKeys: _, ...c }) => c) });
