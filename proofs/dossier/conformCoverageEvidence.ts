/**
 * Evidence of how much of hypervisor/ the conformance runs alone execute — no unit test — beside
 * the unit-test coverage (coverageEvidence.ts): c8 around a child process that runs every model
 * binding in both modes (conformCoverageRun.ts), with the lines, branches and the core's
 * functions no conformance run reached. Needs a source checkout with c8 and tsx installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type ConfigSet, encodeCell, encodeSystem } from "../../hypervisor/index.js";
import { packageRoot } from "../packageRoot.js";
import { coreHash, moduleHash, toolHash } from "./codeDirs.js";
import type { ProducedItem } from "./evidenceItem.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

const runner = join(packageRoot, "proofs", "dossier", "conformCoverageRun.ts");

/** c8's binary, or why conformance coverage cannot be measured here. */
export function c8Install(): { bin: string; version: string } | string {
  const req = createRequire(join(packageRoot, "package.json"));
  try {
    const manifest = req.resolve("c8/package.json");
    req.resolve("tsx/package.json");
    if (!existsSync(runner)) return "no TypeScript sources in this installation (proofs/dossier/conformCoverageRun.ts)";
    return { bin: join(manifest, "..", "bin", "c8.js"), version: JSON.parse(readFileSync(manifest, "utf8")).version };
  } catch {
    return "c8 and tsx are not installed (a dependency-less install)";
  }
}

type Counts = Record<string, number>;
interface FileCoverage {
  readonly fnMap: Record<
    string,
    { readonly name: string; readonly loc: { readonly start: { readonly line: number } } }
  >;
  readonly f: Counts;
}

/** The functions of the core no run entered, as `file:line name`, from c8's coverage-final.json. */
export function unreachedFunctions(final: Readonly<Record<string, FileCoverage>>): string[] {
  return Object.entries(final).flatMap(([file, cov]) =>
    Object.entries(cov.fnMap)
      .filter(([k]) => (cov.f[k] ?? 0) === 0)
      .map(([, fn]) => `${relative(packageRoot, file)}:${fn.loc.start.line} ${fn.name}`),
  );
}

export function conformCoverage(
  bin: string,
  version: string,
  files: readonly string[],
  budget: { readonly runs: number; readonly steps: number; readonly seed: number },
): ProducedItem {
  const dir = mkdtempSync(join(tmpdir(), "warden-conform-coverage-"));
  const id = "coverage:conformance";
  const title = "coverage of hypervisor/ by the conformance runs alone";
  const tool = `c8 ${version} (V8 coverage) around warden conform`;
  const t = performance.now();
  try {
    const out = join(dir, "out");
    const run = spawnSync(
      process.execPath,
      [
        bin,
        "--reporter=json-summary",
        "--reporter=json",
        `--report-dir=${out}`,
        `--temp-directory=${join(dir, "tmp")}`,
        "--include=hypervisor/**",
        "--exclude-after-remap",
        process.execPath,
        "--import",
        "tsx",
        runner,
        JSON.stringify({ files, ...budget }),
      ],
      { cwd: packageRoot, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, maxBuffer: 64 * 2 ** 20 },
    );
    const ms = performance.now() - t;
    const summaryFile = join(out, "coverage-summary.json");
    if (run.status !== 0 || !existsSync(summaryFile)) {
      const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trimEnd().split("\n").slice(-20).join("\n");
      return {
        id,
        title,
        result: "fail",
        detail: `no coverage from the conformance runs (exit ${run.status})`,
        tool,
        ms,
        counterexample: { text: `${output}\n` },
      };
    }
    const total = JSON.parse(readFileSync(summaryFile, "utf8")).total as Record<string, { pct: number; total: number }>;
    const unreached = unreachedFunctions(JSON.parse(readFileSync(join(out, "coverage-final.json"), "utf8")));
    const pct = {
      lines: total.lines?.pct ?? 0,
      branches: total.branches?.pct ?? 0,
      functions: total.functions?.pct ?? 0,
    };
    return {
      id,
      title,
      result: "pass",
      detail: `lines ${pct.lines} %, branches ${pct.branches} %, functions ${pct.functions} % of hypervisor/ reached by ${budget.runs} runs × ${budget.steps} steps per model and mode; ${unreached.length} functions never entered`,
      tool,
      ms,
      metrics: pct,
      ...(unreached.length > 0
        ? { counterexample: { text: `functions no conformance run entered:\n${unreached.join("\n")}\n` } }
        : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Off with WARDEN_CONFORM_COVERAGE=0 (the test suite's dossiers: it costs a minute of conformance under c8). */
const disabled = () => process.env.WARDEN_CONFORM_COVERAGE === "0" && "WARDEN_CONFORM_COVERAGE=0";

export const conformCoverageEvidence: EvidenceProducer = {
  name: "conform-coverage",
  stage: "coverage of hypervisor/ by conformance runs",
  jobs: (ctx) => {
    const install = c8Install();
    const unavailable = typeof install === "string" ? install : disabled();
    const { conformRuns: runs, conformSteps: steps, seed } = ctx.options;
    return [
      {
        key: "conformance",
        params: { runs, steps, seed },
        inputs: {
          producer: moduleHash(import.meta.url),
          core: coreHash(),
          config: ctx.config,
          models: toolHash("models"),
          conformance: toolHash("proofs/refinement"),
          c8: typeof install === "string" ? "none" : install.version,
        },
        ids: ["coverage:conformance"],
        titles: { "coverage:conformance": "coverage of hypervisor/ by the conformance runs alone" },
        ...(unavailable ? { unavailable } : {}),
        run: async () => {
          if (typeof install === "string") throw new Error(install);
          const dir = mkdtempSync(join(tmpdir(), "warden-conform-set-"));
          try {
            // The child loads the configuration set from files: write the set's cells as the dossier has them.
            const files = writeSetFiles(ctx.set, dir);
            return [conformCoverage(install.bin, install.version, files, { runs, steps, seed })];
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      },
    ];
  },
};

/** The set as binary `.cell` files (system first), for the child process to load. */
function writeSetFiles(set: ConfigSet, dir: string): string[] {
  const system = join(dir, "system.cell");
  writeFileSync(system, encodeSystem(set.system.config));
  return [
    system,
    ...set.cells.map((c, i) => {
      const file = join(dir, `cell${i}.cell`);
      writeFileSync(file, encodeCell(c.config));
      return file;
    }),
  ];
}
