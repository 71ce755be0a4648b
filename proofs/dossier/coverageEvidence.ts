/**
 * Evidence of how much of hypervisor/ its own test suite (test/hypervisor) executes: V8 line,
 * branch and function coverage, from vitest with @vitest/coverage-v8 run as a child process.
 * Needs a checkout with the test suite and vitest installed; otherwise the item is "not run".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { packageRoot } from "../packageRoot.js";
import { coreHash, moduleHash, sourceHash } from "./codeDirs.js";
import { fileHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

/** The policy the evidence is judged against (percent). */
export const coverageThresholds = { lines: 90, branches: 75, functions: 90 } as const;
const testDir = "test/hypervisor";
const id = "coverage:hypervisor";

function vitestInstall(): { bin: string; version: string } | string {
  const req = createRequire(join(packageRoot, "package.json"));
  try {
    const manifest = req.resolve("vitest/package.json");
    req.resolve("@vitest/coverage-v8/package.json");
    const version = JSON.parse(readFileSync(manifest, "utf8")).version as string;
    return { bin: join(manifest, "..", "vitest.mjs"), version };
  } catch {
    return "vitest with @vitest/coverage-v8 is not installed (a dependency-less install)";
  }
}

interface Summary {
  readonly total: Record<"lines" | "branches" | "functions" | "statements", { pct: number; total: number }>;
  readonly [file: string]: Record<string, { pct: number; total: number }>;
}

function runCoverage(bin: string, seed: number): { summary?: Summary; output: string; code: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "warden-coverage-"));
  try {
    // A config of its own: only the core's tests, no build step (the suite's globalSetup), quiet output.
    const config = {
      test: {
        root: packageRoot,
        include: [`${testDir}/**/*.test.ts`],
        setupFiles: ["test/setup.ts"],
        pool: "forks",
        testTimeout: 60_000,
        hookTimeout: 120_000,
        reporters: ["dot"],
        coverage: {
          enabled: true,
          provider: "v8",
          include: ["hypervisor/**/*.ts"],
          reporter: ["json-summary"],
          reportsDirectory: join(dir, "coverage"),
        },
      },
    };
    writeFileSync(join(dir, "vitest.config.mjs"), `export default ${JSON.stringify(config)};\n`);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
    const run = spawnSync(process.execPath, [bin, "run", "--config", join(dir, "vitest.config.mjs")], {
      cwd: packageRoot,
      encoding: "utf8",
      env: { ...env, WARDEN_SEED: String(seed), NODE_OPTIONS: "", NO_COLOR: "1", FORCE_COLOR: "0" },
      maxBuffer: 64 * 2 ** 20,
    });
    const file = join(dir, "coverage", "coverage-summary.json");
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? run.error.message : ""}`;
    return {
      ...(existsSync(file) ? { summary: JSON.parse(readFileSync(file, "utf8")) } : {}),
      output,
      code: run.status,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tail = (s: string, n = 30) => `${s.trimEnd().split("\n").slice(-n).join("\n")}\n`;

export const coverageEvidence: EvidenceProducer = {
  name: "coverage",
  stage: "test coverage of hypervisor/",
  jobs: (ctx) => {
    const install = vitestInstall();
    const suite = existsSync(join(packageRoot, testDir))
      ? undefined
      : `no test suite in this installation (${testDir})`;
    const unavailable = typeof install === "string" ? install : suite;
    return [
      {
        key: "hypervisor",
        params: { tests: testDir, seed: ctx.options.seed, ...coverageThresholds },
        inputs: {
          producer: moduleHash(import.meta.url),
          core: coreHash(),
          tests: sourceHash(testDir),
          builders: sourceHash("test/builders"),
          setup: fileHash(join(packageRoot, "test", "setup.ts")),
          vitest: typeof install === "string" ? "none" : install.version,
        },
        ids: [id],
        titles: { [id]: "test coverage of hypervisor/ by test/hypervisor" },
        ...(unavailable ? { unavailable } : {}),
        run: async () => {
          if (typeof install === "string") throw new Error(install);
          const t = performance.now();
          const r = runCoverage(install.bin, ctx.options.seed);
          const ms = performance.now() - t;
          const tool = `vitest ${install.version} with @vitest/coverage-v8`;
          const title = "test coverage of hypervisor/ by test/hypervisor";
          if (!r.summary || r.code !== 0) {
            return [
              {
                id,
                title,
                result: "fail",
                detail: r.summary ? `the test suite failed (exit ${r.code})` : `no coverage report (exit ${r.code})`,
                tool,
                ms,
                counterexample: { text: tail(r.output) },
              },
            ];
          }
          const total = r.summary.total;
          const pct = { lines: total.lines.pct, branches: total.branches.pct, functions: total.functions.pct };
          const below = (Object.keys(coverageThresholds) as (keyof typeof coverageThresholds)[]).filter(
            (k) => pct[k] < coverageThresholds[k],
          );
          const least = Object.entries(r.summary)
            .filter(([f, s]) => f !== "total" && (s.lines?.total ?? 0) > 0)
            .sort(([, a], [, b]) => (a.lines?.pct ?? 0) - (b.lines?.pct ?? 0))
            .slice(0, 8)
            .map(([f, s]) => `${relative(packageRoot, f)}: lines ${s.lines?.pct} %, branches ${s.branches?.pct} %`);
          return [
            {
              id,
              title,
              result: below.length === 0 ? "pass" : "fail",
              detail: `lines ${pct.lines} %, branches ${pct.branches} %, functions ${pct.functions} % of ${total.lines.total} lines (thresholds ${coverageThresholds.lines}/${coverageThresholds.branches}/${coverageThresholds.functions} %)${below.length ? `; below: ${below.join(", ")}` : ""}`,
              tool,
              ms,
              metrics: pct,
              ...(below.length ? { counterexample: { text: `least covered files:\n${least.join("\n")}\n` } } : {}),
            },
          ];
        },
      },
    ];
  },
};
