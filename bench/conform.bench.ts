/**
 * Conformance throughput: checked steps per second of `warden conform` against each model
 * (CellLifecycle, ResourceOwnership, ManagementVote poll by poll), for the built-in core in process and for the same core behind the JSON-lines protocol
 * (`warden core-server`), in the same run; plus raw hypercall throughput of the core.
 *
 * A checked step is one command the implementation performed and `checkStep` then compared with
 * the model (result, abstract state, the core's invariants). They are counted at the
 * implementation, so steps of departing runs and of shrinking count too; the
 * `--model all --mode both` table gives them per model and mode, with shrinking and without.
 */
import { fileURLToPath } from "node:url";
import { archFor, Hypervisor, hypercallCodes } from "../hypervisor/index.js";
import {
  bindings,
  builtinImplementation,
  conform,
  examplePath,
  type ImplementationFactory,
  loadExampleSet,
  processImplementation,
} from "../proofs/index.js";
import { printTable } from "./table.js";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

/** Runs per model and mode in the throughput table (each up to 30 steps), as `warden conform --runs`. */
const RUNS = Number(process.env.WARDEN_BENCH_CONFORM_RUNS ?? 200);

export default async function bench(): Promise<void> {
  await throughput();
  await depth();
  await protocol();
  // The differential check against the C harness (`warden diff-core`) adds its rows here.
  const system = loadExampleSet("arm64").system.config;
  const hv = Hypervisor.enable(system, archFor(system.arch));
  const n = 200_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) hv.hypercall(0, hypercallCodes.CELL_GET_STATE, 0n);
  const calls = n / ((performance.now() - t) / 1000);
  printTable(
    "Core hypercall throughput",
    ["workload", "rate"],
    [["CELL_GET_STATE on the core", `${(calls / 1e6).toFixed(2)} M hypercalls/s`]],
  );
}

/** The core under test, counting every command it performs. */
function counted(): { factory: ImplementationFactory; performed: () => number } {
  let n = 0;
  const factory: ImplementationFactory = async (set, mode) => {
    const impl = builtinImplementation(set, mode);
    return {
      applicable: (c) => impl.applicable(c),
      perform: (c) => {
        n++;
        return impl.perform(c);
      },
      abstractState: () => impl.abstractState(),
      invariants: () => impl.invariants(),
    };
  };
  return { factory, performed: () => n };
}

/**
 * `warden conform --example E --model all --mode both --runs RUNS --seed 23`, model by model:
 * checked steps per second without shrinking (a departing run ends the property) and with it,
 * per wall-clock second and per CPU second of this process (the figure that holds on a shared machine).
 */
async function throughput(): Promise<void> {
  const rows: string[][] = [];
  for (const example of ["x86", "arm64"] as const) {
    const set = loadExampleSet(example);
    let steps = 0;
    let seconds = 0;
    let cpuSeconds = 0;
    for (const binding of Object.values(bindings)) {
      for (const mode of ["upstream", "strict"] as const) {
        const rates: string[] = [];
        let departed = "no";
        for (const shrink of [false, true]) {
          const { factory, performed } = counted();
          const t = performance.now();
          const cpu = process.cpuUsage();
          const report = await conform(set, mode, factory, { runs: RUNS, steps: 30, seed: 23, shrink }, binding);
          const s = (performance.now() - t) / 1000;
          const used = process.cpuUsage(cpu);
          const c = (used.user + used.system) / 1e6;
          if (report.failure) departed = `yes (step ${report.failure.departure.step})`;
          rates.push(`${(performed() / s).toFixed(0)} (${(performed() / c).toFixed(0)} per CPU s)`);
          if (shrink) {
            steps += performed();
            seconds += s;
            cpuSeconds += c;
          }
        }
        rows.push([`${example}`, binding.modelName, mode, departed, ...rates]);
      }
    }
    rows.push([
      `${example}`,
      "all",
      "both",
      "",
      "",
      `${(steps / seconds).toFixed(0)} (${(steps / cpuSeconds).toFixed(0)} per CPU s)`,
    ]);
  }
  printTable(
    `Checked steps per second, ${RUNS} runs × ≤ 30 steps, seed 23 (core in process)`,
    ["example", "model", "mode", "departs", "steps/s, no shrinking", "steps/s, with shrinking"],
    rows,
  );
}

/**
 * The conformance depth CI runs (test/proofs/refinement/depth.test.ts): every model × mode, 1,000
 * runs of up to 30 steps, here at seed 23, per example. Long runs of a warmed-up process: the
 * steady rate, where the table above includes each check's start (compiling the model, JIT warm-up).
 */
async function depth(): Promise<void> {
  const rows: string[][] = [];
  for (const example of ["x86", "arm64"] as const) {
    const set = loadExampleSet(example);
    let steps = 0;
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (const binding of Object.values(bindings))
      for (const mode of ["upstream", "strict"] as const)
        steps += (await conform(set, mode, builtinImplementation, { runs: 1000, steps: 30, seed: 23 }, binding))
          .stepsChecked;
    const s = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const c = (used.user + used.system) / 1e6;
    rows.push([
      example,
      `${steps}`,
      `${c.toFixed(1)} CPU s (${s.toFixed(1)} s wall)`,
      `${(steps / c).toFixed(0)} per CPU s (${(steps / s).toFixed(0)} per s wall)`,
    ]);
  }
  printTable(
    "CI conformance depth: all models × modes, 1,000 runs × ≤ 30 steps, seed 23 (core in process)",
    ["example", "checked steps", "time", "checked steps/s"],
    rows,
  );
}

async function protocol(): Promise<void> {
  const rows: string[][] = [];
  for (const example of ["arm64", "x86"] as const) {
    const set = loadExampleSet(example);
    const options = { runs: 40, steps: 30, seed: 11 };
    for (const binding of Object.values(bindings)) {
      let t = performance.now();
      const inProcess = await conform(set, "upstream", builtinImplementation, options, binding);
      const a = inProcess.stepsChecked / ((performance.now() - t) / 1000);
      const served = processImplementation(`"${process.execPath}" "${cli}" core-server`, [examplePath(example)]);
      t = performance.now();
      const overProtocol = await conform(set, "upstream", served.factory, options, binding);
      const b = overProtocol.stepsChecked / ((performance.now() - t) / 1000);
      served.close();
      rows.push([
        `${example} example, ${binding.modelName}, 40 runs`,
        `${a.toFixed(0)} steps/s`,
        `${b.toFixed(0)} steps/s over JSON lines (${(a / b).toFixed(1)}× slower)`,
      ]);
    }
  }
  printTable("Conformance in process and over the protocol", ["workload", "Warden in process", "peer"], rows);
}
