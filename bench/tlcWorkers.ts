/**
 * TLC with `-workers N` on an emitted module, for the parallel rows of the checker bench
 * (`runTlc` runs one worker, as the agreement report needs). Wall and CPU time (children CPU from
 * /proc) of the JVM, counts parsed as `runTlc` parses them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmittedTla } from "../generators/index.js";
import { parseTlcOutput } from "../proofs/index.js";

export interface TlcTiming {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly depth: number;
  readonly ms: number;
  readonly cpuMs: number | undefined;
}

export function runTlcWorkers(name: string, emitted: EmittedTla, jar: string, workers: number): TlcTiming {
  const dir = mkdtempSync(join(tmpdir(), "warden-tlcw-"));
  try {
    for (const [file, text] of Object.entries(emitted.files)) writeFileSync(join(dir, file), text);
    const cpu0 = childrenCpuMs();
    const started = performance.now();
    const args = ["-XX:+UseParallelGC", "-Xmx1g", "-cp", jar, "tlc2.TLC", "-workers", String(workers)];
    const run = spawnSync(
      "java",
      [...args, "-lncheck", "final", "-tool", "-noGenerateSpecTE", "-metadir", join(dir, "meta"), "-cleanup"].concat([
        "-config",
        `MC${name}.cfg`,
        `MC${name}.tla`,
      ]),
      { cwd: dir, encoding: "utf8", maxBuffer: 256 * 2 ** 20 },
    );
    const ms = Math.round(performance.now() - started);
    const cpu1 = childrenCpuMs();
    if (run.error) throw run.error;
    const parsed = parseTlcOutput(run.stdout);
    return { ...parsed, ms, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU ms of this process's waited-for children (Linux /proc, 100 ticks/s), or undefined elsewhere. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
