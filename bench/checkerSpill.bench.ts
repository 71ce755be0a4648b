/**
 * `--max-memory` spilling: a state space several times larger than the bound completes on disk
 * with the unbounded run's counts (the bench throws otherwise). Quotes the bytes per state held in
 * memory by both runs and written to disk by the bounded one, and the time each took.
 */
import { checkModel, resolveModels } from "../proofs/index.js";
import { printTable } from "./table.js";

const cases: readonly [string, Record<string, string>, number][] = [
  ["TwoPhase", { rms: "7" }, 2.5],
  ["TwoPhase", { rms: "6" }, 0.5],
];

export default async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [name, params, limitMiB] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const unbounded = checkModel(r.model);
    const spilled = checkModel(r.model, { maxMemoryMiB: limitMiB });
    const counts = (v: typeof unbounded) => [v.stats.distinctStates, v.stats.generatedStates, v.stats.depth].join("/");
    if (counts(unbounded) !== counts(spilled) || unbounded.kind !== spilled.kind) {
      throw new Error(`${name}: spilled run found ${counts(spilled)}, unbounded ${counts(unbounded)}`);
    }
    const mib = (b: number | undefined) => ((b ?? 0) / 2 ** 20).toFixed(1);
    rows.push([
      `${name} ${Object.entries(params)
        .map(([k, x]) => `${k}=${x}`)
        .join(" ")}`,
      counts(unbounded),
      limitMiB,
      mib(unbounded.stats.memoryBytes),
      `${((unbounded.stats.memoryBytes ?? 0) / (limitMiB * 2 ** 20)).toFixed(1)}x`,
      unbounded.stats.ms,
      mib(spilled.stats.memoryBytes),
      mib(spilled.stats.diskBytes),
      spilled.stats.ms,
      spilled.stats.bytesPerState ?? "-",
    ]);
  }
  printTable(
    "Spilling past --max-memory: same counts as the unbounded run (distinct/generated/depth)",
    [
      "model",
      "counts (both runs)",
      "--max-memory MiB",
      "unbounded MiB",
      "state space / bound",
      "unbounded ms",
      "spilled: memory MiB",
      "spilled: disk MiB",
      "spilled ms",
      "spilled: memory bytes/state",
    ],
    rows,
  );
}
