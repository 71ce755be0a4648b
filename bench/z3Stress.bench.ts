/**
 * The full Z3 stress (issue #17): two processes each discharging the stress workload's obligation
 * stream (isolation plus induction/BMC; WARDEN_STRESS_OBLIGATIONS per process, default 1,000)
 * while a third process keeps a core busy; verdicts are compared with a quiet in-process run.
 * Prints obligations, re-runs, incomplete answers and whether the verdicts agree.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type WorkloadResult, z3Workload } from "../test/builders/z3Workload.js";
import { printTable } from "./table.js";

export default async function bench(): Promise<void> {
  const per = Number(process.env.WARDEN_STRESS_OBLIGATIONS ?? 1000);
  const worker = fileURLToPath(new URL("../test/builders/z3Workload.ts", import.meta.url));
  const started = performance.now();
  const quiet = await z3Workload(per);
  const quietMs = performance.now() - started;
  const burner = spawn(process.execPath, ["-e", "const end = Date.now() + 3600000; while (Date.now() < end) {}"]);
  const loadedStart = performance.now();
  const runs = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<WorkloadResult & { code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["--import", "tsx/esm", worker, String(per)], {
            env: { ...process.env, NODE_OPTIONS: "" },
          });
          let out = "";
          let err = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (err += d));
          child.on("close", (code) => resolve({ ...(JSON.parse(out || "{}") as WorkloadResult), code, stderr: err }));
        }),
    ),
  );
  const loadedMs = performance.now() - loadedStart;
  burner.kill("SIGKILL");
  printTable(
    `Z3 stress: 2 processes beside a busy core (quiet run ${(quietMs / 1000).toFixed(1)} s, loaded ${(loadedMs / 1000).toFixed(1)} s)`,
    ["process", "obligations", "isolation", "induction/BMC", "re-runs", "incomplete", "exit", "verdicts = quiet"],
    runs.map((r, i) => [
      `loaded ${i + 1}`,
      r.obligations ?? 0,
      r.isolation ?? 0,
      r.induction ?? 0,
      r.counts?.reruns ?? "-",
      r.counts?.incomplete ?? "-",
      r.code ?? "-",
      JSON.stringify(r.verdicts) === JSON.stringify(quiet.verdicts) ? "yes" : "NO",
    ]),
  );
}
