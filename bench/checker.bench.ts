/**
 * Warden's explicit-state checker against TLC (one worker) on the same emitted modules, in the
 * same run. TLC's time is the wall time of its process, JVM start-up included; the bench measures
 * that start-up as TLC's time on the tiniest model (DieHard, 14 states) and also quotes a
 * steady-state ratio against TLC's time minus it. The large parameter sets (TLC 50-110 s) show the
 * steady-state rate; the small ones show what a user waits for.
 */
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
const ratio = (x: number): string => `${x.toFixed(1)}x`;

export default async function bench(): Promise<void> {
  const jar = process.env.WARDEN_TLA2TOOLS;
  const rows: (string | number)[][] = [];
  /** TLC's wall time on DieHard: JVM start, parsing and a 14-state search. */
  let startup = 0;
  for (const [name, params] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const v = checkModel(r.model);
    const ours = rate(v.stats.distinctStates, v.stats.ms);
    const label = `${name} ${Object.entries(params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`.trim();
    if (!jar) {
      rows.push([label, v.stats.distinctStates, v.stats.ms, Math.round(ours), "-", "-", "-", "-"]);
      continue;
    }
    const t = runTlc(r.model.name, emitTla(r.model, { command: "bench", version, inputHash: inputHash(r.model) }), jar);
    if (name === "DieHard") startup = t.ms;
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
    ]);
  }
  printTable(
    `Model checking: Warden vs TLC 2.20 -workers 1${jar ? `, TLC start-up (DieHard) ${startup} ms` : " (TLC skipped: WARDEN_TLA2TOOLS unset)"}`,
    [
      "model",
      "distinct states",
      "Warden ms",
      "Warden states/s",
      "TLC ms (wall)",
      "TLC states/s",
      "ratio (wall)",
      "ratio (TLC minus start-up)",
    ],
    rows,
  );
}
