/**
 * `warden check --workers 2` against one worker and against TLC `-workers 2`, same run. Counts
 * (distinct, generated, depth) must be identical between one and two workers (the bench throws
 * otherwise). The machine is shared, so besides wall time the bench quotes the process's CPU time
 * (all threads) and its utilisation, CPU / wall: on two free cores two workers can reach 2.0; the
 * load average printed with the table says how free the cores were. Each Warden figure is the
 * best of five runs, one and two workers taking turns. Two workers run twice: with the default
 * hand-over (one worker alone up to 500,000 states, what a user gets) and with threads from
 * 2,000 states (the parallel search itself, whose figures the other columns quote). The worker
 * pool is started once before timing (thread start-up and the workers' module loading under tsx
 * are a fixed cost, printed separately). The ceiling column is what two cores give this model's
 * code at all: two independent one-worker checks side by side in two processes
 * (`sideBySide.ts`, best of three), their throughput against one alone; the header gives the
 * same ratio for an integer loop that touches no memory, which tells whether the cores are
 * independent at all.
 */
import { loadavg } from "node:os";
import { emitTla } from "../generators/index.js";
import { checkModelParallel, inputHash, resolveModels, type Verdict, version } from "../proofs/index.js";
import { loopPair, sideBySide } from "./sideBySide.js";
import { printTable } from "./table.js";
import { runTlcWorkers } from "./tlcWorkers.js";

const cases: readonly [string, Record<string, string>][] = [
  ["TwoPhase", { rms: "7" }],
  ["TwoPhase", { rms: "8" }],
  ["ManagementVote", { cells: "a,b,c", passive: "", timeout: "a:1,b:1,c:1" }],
];

interface Timed {
  readonly verdict: Verdict;
  readonly ms: number;
  readonly cpuMs: number;
}

async function timed(run: () => Promise<Verdict>): Promise<Timed> {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const verdict = await run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { verdict, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Runs of each variant: the host is shared, and its load moves single runs by a third. */
const TURNS = 5;

/** The fastest of `TURNS` runs of each, taking turns (so that a noisy moment hits all). */
async function bestOfTurns(runs: readonly (() => Promise<Verdict>)[]): Promise<Timed[]> {
  const best: (Timed | undefined)[] = runs.map(() => undefined);
  const faster = (a: Timed | undefined, b: Timed) => (a && a.ms <= b.ms ? a : b);
  for (let turn = 0; turn < TURNS; turn++) {
    for (const [i, run] of runs.entries()) best[i] = faster(best[i], await timed(run));
  }
  return best as Timed[];
}

const counts = (v: Verdict) => [v.stats.distinctStates, v.stats.generatedStates, v.stats.depth].join("/");

export default async function bench(): Promise<void> {
  const jar = process.env.WARDEN_TLA2TOOLS;
  const [warm] = resolveModels(["TwoPhase"], { rms: "3" });
  const startup = warm
    ? await timed(() => checkModelParallel(warm.model, { workers: 2, sequentialStates: 0 }))
    : undefined;
  const loadBefore = loadavg()[0] ?? 0;
  const rows: (string | number)[][] = [];
  for (const [name, params] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const [one, two, byDefault] = (await bestOfTurns([
      () => checkModelParallel(r.model, { workers: 1 }),
      () => checkModelParallel(r.model, { workers: 2, sequentialStates: 2_000 }),
      () => checkModelParallel(r.model, { workers: 2 }),
    ])) as [Timed, Timed, Timed];
    for (const other of [two, byDefault]) {
      if (counts(one.verdict) !== counts(other.verdict) || one.verdict.kind !== other.verdict.kind) {
        throw new Error(`${name}: two workers found ${counts(other.verdict)}, one worker ${counts(one.verdict)}`);
      }
    }
    const pair = await sideBySide(name, params);
    const ceiling = (2 * pair.alone) / pair.pair;
    const tlc = jar
      ? runTlcWorkers(
          r.model.name,
          emitTla(r.model, { command: "bench", version, inputHash: inputHash(r.model) }),
          jar,
          2,
        )
      : undefined;
    const tlcSame =
      tlc && [tlc.distinctStates, tlc.generatedStates, tlc.depth].join("/") === counts(one.verdict) ? "" : " (differs)";
    const label = `${name} ${Object.entries(params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`;
    rows.push([
      label,
      one.verdict.stats.distinctStates,
      Math.round(one.ms),
      Math.round(one.cpuMs),
      Math.round(two.ms),
      Math.round(two.cpuMs),
      `${(two.cpuMs / two.ms).toFixed(2)}`,
      `${(one.ms / two.ms).toFixed(2)}x`,
      `${ceiling.toFixed(2)}x`,
      Math.round(byDefault.ms),
      `${(one.cpuMs / two.cpuMs).toFixed(2)}`,
      one.verdict.stats.bytesPerState ?? "-",
      two.verdict.stats.bytesPerState ?? "-",
      tlc ? `${tlc.ms}${tlcSame}` : "-",
      tlc?.cpuMs ?? "-",
      tlc ? `${(tlc.ms / two.ms).toFixed(1)}x` : "-",
    ]);
  }
  const loop = await loopPair();
  printTable(
    `Parallel checking: --workers 2 vs one worker and vs TLC -workers 2 (load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after, 2 cores, an integer loop side by side ${loop.toFixed(2)}x; pool start-up ${startup ? Math.round(startup.ms) : "-"} ms, not included; TLC bytes/state: 8 in its fingerprint set, queue on disk)`,
    [
      "model",
      "distinct states",
      "1w ms",
      "1w CPU ms",
      "2w ms (threads from 2,000 states)",
      "2w CPU ms",
      "2w CPU/wall",
      "speed-up (wall)",
      "ceiling: 2 independent 1w side by side",
      "2w ms, default hand-over at 500,000",
      "CPU efficiency (1w/2w CPU)",
      "1w bytes/state",
      "2w bytes/state",
      "TLC 2w ms",
      "TLC 2w CPU ms",
      "Warden 2w vs TLC 2w (wall)",
    ],
    rows,
  );
}
