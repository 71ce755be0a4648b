/**
 * Warden's explicit-state checker against TLC (one worker) on the same emitted modules, in the
 * same run. TLC's time is wall time of its process and includes JVM start-up (about 1 s), which
 * dominates small models; the larger parameter sets show the steady-state ratio.
 */
import { emitTla } from "../generators/index.js";
import { checkModel, inputHash, resolveModels, runTlc, version } from "../proofs/index.js";
import { printTable } from "./table.js";

const cases: readonly [string, Record<string, string>][] = [
  ["DieHard", {}],
  ["Peterson", {}],
  ["TwoPhase", { rms: "5" }],
  ["TwoPhase", { rms: "6" }],
  ["TwoPhase", { rms: "7" }],
  ["CellLifecycle", { cells: "a,b,c", passive: "", timeout: "a,b,c" }],
  ["ResourceOwnership", {}],
  ["ManagementVote", {}],
  ["ManagementVote", { cells: "a,b,c", passive: "c", timeout: "a:1,b:1" }],
];

export default async function bench(): Promise<void> {
  const jar = process.env.WARDEN_TLA2TOOLS;
  const rows: (string | number)[][] = [];
  for (const [name, params] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const v = checkModel(r.model);
    const ours = v.stats.distinctStates / Math.max(v.stats.ms / 1000, 1e-3);
    const label = `${name} ${Object.entries(params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`.trim();
    if (!jar) {
      rows.push([label, v.stats.distinctStates, v.stats.ms, Math.round(ours), "-", "-", "-"]);
      continue;
    }
    const t = runTlc(r.model.name, emitTla(r.model, { command: "bench", version, inputHash: inputHash(r.model) }), jar);
    const theirs = t.distinctStates / (t.ms / 1000);
    rows.push([
      label,
      v.stats.distinctStates,
      v.stats.ms,
      Math.round(ours),
      t.distinctStates === v.stats.distinctStates ? t.ms : `${t.ms} (counts differ: ${t.distinctStates})`,
      Math.round(theirs),
      `${(ours / theirs).toFixed(1)}x`,
    ]);
  }
  printTable(
    `Model checking: Warden vs TLC 2.20 -workers 1${jar ? "" : " (TLC skipped: WARDEN_TLA2TOOLS unset)"}`,
    ["model", "distinct states", "Warden ms", "Warden states/s", "TLC ms (wall)", "TLC states/s", "ratio"],
    rows,
  );
}
