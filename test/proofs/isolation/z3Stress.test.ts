/**
 * Z3 under load: the same obligation stream (isolation and induction/BMC) from two concurrent
 * processes while a third keeps a core busy must give zero incomplete answers and the verdicts of
 * a quiet in-process run. CI runs about 40 obligations per process; the full stress (≥ 2,000 in
 * all) is WARDEN_STRESS_OBLIGATIONS=1000 (per process) or `npm run bench -- z3Stress`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type WorkloadResult, z3Workload } from "../../builders/z3Workload.js";

const PER_PROCESS = Number(process.env.WARDEN_STRESS_OBLIGATIONS ?? 40);
const worker = fileURLToPath(new URL("../../builders/z3Workload.ts", import.meta.url));

function run(args: readonly string[]): {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  pid?: number;
  kill: () => void;
} {
  const child = spawn(process.execPath, [...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { done, ...(child.pid !== undefined ? { pid: child.pid } : {}), kill: () => child.kill("SIGKILL") };
}

describe("Z3 under CPU load", () => {
  it(`two processes of ${PER_PROCESS}+ obligations beside a busy core give the quiet run's verdicts`, async () => {
    const quiet = await z3Workload(PER_PROCESS);
    const burner = run(["-e", "const end = Date.now() + 1800000; while (Date.now() < end) {}"]);
    try {
      const runs = await Promise.all([0, 1].map(() => run(["--import", "tsx", worker, String(PER_PROCESS)]).done));
      const results = runs.map((r) => {
        expect(r.stderr).not.toMatch(/internal error|Error/);
        expect(r.code).toBe(0);
        return JSON.parse(r.stdout) as WorkloadResult;
      });
      for (const r of results) {
        expect(r.counts.incomplete).toBe(0);
        expect(r.verdicts).toEqual(quiet.verdicts);
      }
      const total = results.reduce((n, r) => n + r.obligations, 0);
      const reruns = results.reduce((n, r) => n + r.counts.reruns, 0);
      process.stderr.write(
        `[warden] z3 stress: ${total} obligations in 2 loaded processes (${results[0]?.isolation} isolation + ${results[0]?.induction} induction/BMC each), ${reruns} re-runs, 0 incomplete, verdicts = quiet run\n`,
      );
      expect(quiet.verdicts.some((v) => v.startsWith("sat:"))).toBe(true);
      expect(quiet.verdicts.some((v) => v.startsWith("unsat:"))).toBe(true);
    } finally {
      burner.kill();
    }
  }, 900_000);
});
