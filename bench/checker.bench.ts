/**
 * Warden's explicit-state checker against TLC (one worker) on the same emitted modules, in the
 * same run. TLC's time is the wall time of its process, JVM start-up included; the bench measures
 * that start-up as TLC's time on the tiniest model (DieHard, 14 states) and also quotes a
 * steady-state ratio against TLC's time minus it. The large parameter sets (TLC 50-110 s) show the
 * steady-state rate; the small ones show what a user waits for. On a loaded machine wall time
 * depends on each process's share of the cores, so the CPU time of both (TLC's children CPU from
 * /proc, all JVM threads) is quoted too, with its own ratio (TLC's DieHard CPU subtracted).
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { emitTla } from "../generators/index.js";
import { checkModel, inputHash, resolveModels, runTlc, version } from "../proofs/index.js";
import { printTable } from "./table.js";

const cases: readonly [string, Record<string, string>][] = [
  ["DieHard", {}],
  ["Peterson", {}],
  ["TwoPhase", { rms: "5" }],
  ["TwoPhase", { rms: "7" }],
  ["TwoPhase", { rms: "8" }],
  ["CellLifecycle", { cells: "a,b,c", passive: "", timeout: "a,b,c" }],
  ["ResourceOwnership", {}],
  ["ManagementVote", {}],
  ["ManagementVote", { cells: "a,b,c", passive: "c", timeout: "a:1,b:1" }],
  ["ManagementVote", { cells: "a,b,c", passive: "", timeout: "a:1,b:1,c:1" }],
];

const rate = (states: number, ms: number): number => states / Math.max(ms / 1000, 1e-3);

/** CPU ms of this process's waited-for children (Linux /proc), or undefined elsewhere. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks() : undefined;
  } catch {
    return undefined;
  }
}
let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;
  return ticksPerSecond;
}
const ratio = (x: number): string => `${x.toFixed(1)}x`;

export default async function bench(): Promise<void> {
  const jar = process.env.WARDEN_TLA2TOOLS;
  const rows: (string | number)[][] = [];
  /** TLC's wall and CPU time on DieHard: JVM start, parsing and a 14-state search. */
  let startup = 0;
  let startupCpu = 0;
  for (const [name, params] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const cpu0 = process.cpuUsage();
    const v = checkModel(r.model);
    const cpu = process.cpuUsage(cpu0);
    const ourCpu = (cpu.user + cpu.system) / 1000;
    const ours = rate(v.stats.distinctStates, v.stats.ms);
    const label = `${name} ${Object.entries(params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`.trim();
    if (!jar) {
      rows.push([
        label,
        v.stats.distinctStates,
        v.stats.ms,
        Math.round(ours),
        "-",
        "-",
        "-",
        "-",
        Math.round(ourCpu),
        "-",
        "-",
      ]);
      continue;
    }
    const emitted = emitTla(r.model, { command: "bench", version, inputHash: inputHash(r.model) });
    const before = childrenCpuMs();
    const t = runTlc(r.model.name, emitted, jar);
    const after = childrenCpuMs();
    const theirCpu = before === undefined || after === undefined ? undefined : after - before;
    if (name === "DieHard") {
      startup = t.ms;
      startupCpu = theirCpu ?? 0;
    }
    const same =
      t.distinctStates === v.stats.distinctStates &&
      t.generatedStates === v.stats.generatedStates &&
      t.depth === v.stats.depth;
    const theirs = rate(t.distinctStates, t.ms);
    const steady = t.ms - startup > 0.5 * t.ms ? ours / rate(t.distinctStates, t.ms - startup) : undefined;
    rows.push([
      label,
      v.stats.distinctStates,
      v.stats.ms,
      Math.round(ours),
      same ? t.ms : `${t.ms} (counts differ: ${t.distinctStates}/${t.generatedStates}/${t.depth})`,
      Math.round(theirs),
      ratio(ours / theirs),
      steady === undefined ? "-" : ratio(steady),
      Math.round(ourCpu),
      theirCpu === undefined ? "-" : Math.round(theirCpu),
      theirCpu === undefined || theirCpu - startupCpu < 0.5 * theirCpu
        ? "-"
        : ratio(rate(v.stats.distinctStates, ourCpu) / rate(t.distinctStates, theirCpu - startupCpu)),
    ]);
  }
  printTable(
    `Model checking: Warden vs TLC 2.20 -workers 1${jar ? `, TLC start-up (DieHard) ${startup} ms wall, ${Math.round(startupCpu)} ms CPU` : " (TLC skipped: WARDEN_TLA2TOOLS unset)"}`,
    [
      "model",
      "distinct states",
      "Warden ms",
      "Warden states/s",
      "TLC ms (wall)",
      "TLC states/s",
      "ratio (wall)",
      "ratio (TLC minus start-up)",
      "Warden CPU ms",
      "TLC CPU ms",
      "ratio (CPU, TLC minus start-up)",
    ],
    rows,
  );
}
