/**
 * Upstream Jailhouse in the loop: differential steps per second of `warden diff-core` (the
 * TypeScript core and upstream's C core through the harness, compared after every step), and
 * CellLifecycle conformance throughput of the TypeScript core (in process) against the C harness,
 * in the same run. Needs WARDEN_UPSTREAM_SRC (a Jailhouse tree) and gcc; otherwise says so.
 */
import { builtinImplementation, conform, lifecycleBinding, loadExampleSet } from "../proofs/index.js";
import {
  buildHarness,
  diffCore,
  harnessProcess,
  upstreamImplementation,
  upstreamSource,
} from "../proofs/upstream/index.js";
import { printTable } from "./table.js";

export default async function bench(): Promise<void> {
  const title = "Upstream Jailhouse's C core in the loop (x86 example)";
  const header = ["workload", "TypeScript core", "C harness / differential"];
  const dir = upstreamSource(undefined);
  if (!dir) {
    printTable(title, header, [["skipped: set WARDEN_UPSTREAM_SRC to a Jailhouse tree", "—", "—"]]);
    return;
  }
  const set = loadExampleSet("x86");
  const options = { runs: 200, steps: 30, seed: 23 };
  const rows: string[][] = [];

  const p = harnessProcess(buildHarness(dir).binary, set);
  let t = performance.now();
  const diff = await diffCore(set, p, options);
  const diffRate = diff.steps / ((performance.now() - t) / 1000);
  p.close();
  rows.push([
    `diff-core, ${options.runs} runs (${diff.failure ? "DIVERGES" : "agree"})`,
    "—",
    `${diffRate.toFixed(0)} differential steps/s (${diff.steps} steps)`,
  ]);

  t = performance.now();
  const ts = await conform(set, "upstream", builtinImplementation, options, lifecycleBinding);
  const tsRate = ts.stepsChecked / ((performance.now() - t) / 1000);
  const u = upstreamImplementation(dir);
  t = performance.now();
  const c = await conform(set, "upstream", u.factory, options, lifecycleBinding);
  const cRate = c.stepsChecked / ((performance.now() - t) / 1000);
  u.close();
  rows.push([
    `conform CellLifecycle upstream, ${options.runs} runs`,
    `${tsRate.toFixed(0)} steps/s`,
    `${cRate.toFixed(0)} steps/s (${(cRate / tsRate).toFixed(1)}× the TypeScript core's rate)`,
  ]);
  printTable(title, header, rows);
}
