/**
 * TLC's rate on the emitted Jailhouse modules: every manifest entry of the Jailhouse models, run by
 * TLC 2.20 with one worker on the TLA+ Warden emits today. The rate is distinct states per second
 * of TLC's wall time minus its start-up (its time on DieHard); a run longer than the cap
 * (`WARDEN_TLC_RATE_CAP_S`, default 90 s) is stopped and rated from its last progress report.
 * `WARDEN_TLC_RATE_ONLY=Model,Model` restricts the models. Counts are compared with the manifest.
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { emitTla } from "../generators/index.js";
import { inputHash, readManifest, resolveModels, runTlc, version } from "../proofs/index.js";
import { printTable } from "./table.js";

/** CPU ms of this process's waited-for children (Linux /proc): TLC's JVM, all its threads. */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
}
const clockTicks = Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;

const jailhouse = ["CellLifecycle", "ManagementVote", "ResourceOwnership", "NestedEpt", "VirtioMsi", "LegacyIrq"];

export default async function bench(): Promise<void> {
  const jar = process.env.WARDEN_TLA2TOOLS;
  if (!jar) {
    process.stdout.write("\n## TLC rate on the emitted Jailhouse modules: skipped (WARDEN_TLA2TOOLS unset)\n");
    return;
  }
  const capMs = Number(process.env.WARDEN_TLC_RATE_CAP_S ?? 90) * 1000;
  const only = process.env.WARDEN_TLC_RATE_ONLY?.split(",");
  const emit = (name: string, params: Record<string, string>) => {
    const [r] = resolveModels([name], params);
    if (!r) throw new Error(`no model ${name}`);
    return [r.model.name, emitTla(r.model, { command: "bench", version, inputHash: inputHash(r.model) })] as const;
  };
  const cpu0 = childrenCpuMs();
  const startup = runTlc(...emit("DieHard", {}), jar).ms;
  const startupCpu = childrenCpuMs() - cpu0;
  const rows: (string | number)[][] = [];
  for (const entry of readManifest()) {
    if (!jailhouse.includes(entry.model) || (only && !only.includes(entry.model))) continue;
    const before = childrenCpuMs();
    const t = runTlc(...emit(entry.model, entry.params), jar, { timeoutMs: capMs });
    const cpu = childrenCpuMs() - before;
    const label = `${entry.model} ${Object.entries(entry.params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`.trim();
    const same = t.distinctStates === entry.distinctStates && t.generatedStates === entry.generatedStates;
    const seconds = Math.max((t.ms - startup) / 1000, 0.05);
    const cpuSeconds = Math.max((cpu - startupCpu) / 1000, 0.05);
    rows.push([
      label,
      entry.distinctStates,
      t.timedOut ? `stopped at ${t.distinctStates}` : same ? "same" : `DIFFER ${t.distinctStates}/${t.generatedStates}`,
      t.ms,
      Math.round(t.distinctStates / seconds),
      Math.round(t.generatedStates / seconds),
      Math.round(cpu),
      Math.round(t.distinctStates / cpuSeconds),
    ]);
  }
  printTable(
    `TLC 2.20 -workers 1 on the emitted Jailhouse modules (start-up ${startup} ms wall, ${Math.round(startupCpu)} ms CPU subtracted; cap ${capMs / 1000} s)`,
    [
      "model",
      "distinct states",
      "TLC counts vs manifest",
      "TLC ms (wall)",
      "distinct/s (wall)",
      "generated/s (wall)",
      "TLC CPU ms",
      "distinct/s (CPU)",
    ],
    rows,
  );
}
