/**
 * Mutation score of the core's management paths under its own tests (Stryker), reported, not
 * gated: a second view of test strength beside the planted mutants of `test/mutants/`.
 * Slow (minutes): run on its own with `npm run bench -- mutation`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printTable } from "./table.js";

const root = fileURLToPath(new URL("..", import.meta.url));

interface MutantReport {
  readonly files: Record<string, { readonly mutants: readonly { readonly status: string }[] }>;
}

export default async function bench(): Promise<void> {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [`${root}node_modules/@stryker-mutator/core/bin/stryker.js`, "run", "bench/stryker.config.json"],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, WARDEN_SEED: process.env.WARDEN_SEED ?? "1" },
    },
  );
  if (run.status !== 0) {
    process.stdout.write(`Stryker failed (exit ${run.status}): ${run.stderr.split("\n").slice(-5).join(" ")}\n`);
    return;
  }
  const report = JSON.parse(readFileSync(`${root}reports/mutation.json`, "utf8")) as MutantReport;
  const rows = Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (s: string) => mutants.filter((m) => m.status === s).length;
    const killed = count("Killed") + count("Timeout");
    const valid = mutants.length - count("CompileError") - count("RuntimeError");
    return [
      file,
      mutants.length,
      killed,
      count("Survived"),
      count("NoCoverage"),
      `${((100 * killed) / Math.max(1, valid)).toFixed(1)} %`,
    ];
  });
  printTable(
    `Mutation testing with Stryker (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    ["file", "mutants", "killed", "survived", "no coverage", "score"],
    rows,
  );
}
