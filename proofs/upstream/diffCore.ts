/**
 * Differential testing of Warden's TypeScript core against upstream's C core (through the
 * harness): the same random sequences of root hypercalls and cell actions go to both; after each
 * step the results and the observations (observation.ts) must agree. fast-check generates the
 * sequences, shrinks a failing one and reports the seed to replay it. A divergence that one of the
 * core's declared intentional differences explains is counted, not failed.
 */
import fc from "fast-check";
import * as hypervisorModule from "../../hypervisor/index.js";
import { type ConfigSet, type Hypervisor, memFlags } from "../../hypervisor/index.js";
import { coreImplementation } from "../refinement/coreImplementation.js";
import { type Command, describeCommand, type Implementation } from "../refinement/implementation.js";
import type { HarnessImplementation, HarnessProcess } from "./harnessProcess.js";
import { INTENTIONAL_DIFFERENCES } from "./intentionalDifferences.js";
import { type CommOf, firstDifference, fromCore, fromHarness, type ObservedDivergence } from "./observation.js";

export interface DiffOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed?: number;
  /** Stop at the first failing run instead of shrinking it. */
  readonly shrink?: boolean;
}

export interface DiffReport {
  readonly runs: number;
  /** Steps compared in passing runs. */
  readonly steps: number;
  readonly seed: number;
  /** Divergences an intentional difference explains, by its name. */
  readonly explained: Readonly<Record<string, number>>;
  readonly failure?: {
    /** fast-check's counterexample path, to replay. */
    readonly path: string;
    /** The minimal sequence, as sentences. */
    readonly commands: readonly string[];
    readonly divergence: ObservedDivergence;
  };
}

const VOTES = ["approve", "deny", "timeout"] as const;
const STATES = ["RUN", "LCK", "SDC", "FL", "FCR"] as const;

const CALLS = ["create", "start", "set_loadable", "destroy"] as const;
const DURING_CALL: ReadonlySet<Command["op"]> = new Set(["poll", "answer", "declare", "write_state", "cpus_fail"]);
const REPLIES = ["REQUEST_APPROVED", "REQUEST_DENIED", "UNKNOWN", "RECEIVED"] as const;
const COMM_STATES = ["RUNNING", "RUNNING_LOCKED", "SHUT_DOWN", "FAILED"] as const;

/**
 * Every command both cores serve, for the set's cells: whole hypercalls with a cell policy
 * (CellLifecycle's vocabulary), poll-level management calls with cells answering and declaring
 * between polls (ManagementVote's), cells writing their state and failing their CPUs, DISABLE.
 */
export function commandSpace(set: ConfigSet): Command[] {
  const out: Command[] = [];
  for (const { config } of set.cells) {
    const cell = config.name;
    out.push({ op: "create", cell }, { op: "get_state", cell }, { op: "cpus_fail", cell });
    for (const vote of VOTES)
      for (const op of ["set_loadable", "start", "destroy"] as const) out.push({ op, cell, vote });
    for (const state of STATES) out.push({ op: "write_state", cell, state });
    for (const call of CALLS) out.push({ op: "issue", call, cell });
    for (const reply of REPLIES) out.push({ op: "answer", cell, reply });
    for (const state of COMM_STATES) out.push({ op: "declare", cell, state });
  }
  out.push({ op: "poll", expire: false }, { op: "poll", expire: true }, { op: "disable" });
  return out;
}

type CoreSide = { impl: Implementation; hv: Hypervisor };
type UpstreamSide = HarnessImplementation;

export async function diffCore(
  set: ConfigSet,
  harness: Pick<HarnessProcess, "load">,
  options: DiffOptions,
  m: typeof hypervisorModule = hypervisorModule,
): Promise<DiffReport> {
  const space = commandSpace(set);
  const comm = new Map(
    [set.system.config.root_cell, ...set.cells.map((c) => c.config)].map((c) => [
      c.name,
      c.memory_regions.find((r) => (r.flags & memFlags.COMM_REGION) !== 0n)?.virt_start,
    ]),
  );
  const commOf: CommOf = (name) => comm.get(name);
  const explained: Record<string, number> = {};
  let steps = 0;

  const coreSide = (): CoreSide => {
    let hv: Hypervisor | undefined;
    const impl = coreImplementation(m, set, "upstream", (h) => {
      hv = h;
    });
    return { impl, hv: hv as unknown as Hypervisor };
  };
  const observeBoth = async (core: CoreSide, upstream: UpstreamSide) => [
    fromCore(m, core.hv, (await core.impl.abstractState()).hung, commOf),
    fromHarness(await upstream.observe(), commOf),
  ];

  type Run = { ok: true; steps: number } | { ok: false; commands: string[]; divergence: ObservedDivergence };
  const run = async (choices: readonly number[], count: Record<string, number>): Promise<Run> => {
    const core = coreSide();
    const upstream = await harness.load("upstream");
    const commands: string[] = [];
    const diverge = (d: Omit<ObservedDivergence, "step" | "command">, command: string): Run => ({
      ok: false,
      commands,
      divergence: { step: commands.length, command, ...d },
    });
    const [a, b] = await observeBoth(core, upstream);
    const initial = a && b && firstDifference(a, b);
    if (initial) return diverge(initial, "enable");
    let upOk = await upstream.applicableMany(space);
    let n = 0;
    for (const choice of choices) {
      // While a poll-level call is in flight the root issues nothing else: only polls and cell actions.
      const inCall = (await core.impl.abstractState()).exchange?.call != null;
      const allowed = (c: Command) => !inCall || DURING_CALL.has(c.op);
      const coreOk = await Promise.all(space.map(async (c) => allowed(c) && (await core.impl.applicable(c))));
      const mismatch = space.findIndex((c, i) => allowed(c) && coreOk[i] !== upOk[i]);
      if (mismatch >= 0) {
        const c = space[mismatch] as Command;
        return diverge(
          { field: `whether ${describeCommand(c)} can be performed`, core: coreOk[mismatch], upstream: upOk[mismatch] },
          "(before the next step)",
        );
      }
      // DISABLE ends a run, so it is one choice in sixteen.
      const pool = space.filter((c, i) => coreOk[i] && (c.op !== "disable" || choice % 16 === 0));
      const command = pool[(choice >> 4) % Math.max(pool.length, 1)];
      if (!command) break;
      const text = describeCommand(command);
      commands.push(text);
      n++;
      const rc = await core.impl.perform(command);
      const stepped = await upstream.step(command, space);
      upOk = stepped.applicable;
      if (rc !== stepped.result) return diverge({ field: "result", core: rc, upstream: stepped.result }, text);
      const d = firstDifference(
        fromCore(m, core.hv, (await core.impl.abstractState()).hung, commOf),
        fromHarness(stepped.observation, commOf),
      );
      if (d) {
        const full = { step: commands.length, command: text, ...d };
        const why = INTENTIONAL_DIFFERENCES.find((x) => x.explains(full));
        if (!why) return { ok: false, commands, divergence: full };
        count[why.name] = (count[why.name] ?? 0) + 1;
        break; // the cores' states differ from here on by design: end the run
      }
    }
    return { ok: true, steps: n };
  };

  const seed = options.seed ?? Date.now() % 2 ** 31;
  const choices = fc.array(fc.noBias(fc.nat({ max: 1 << 24 })), {
    minLength: 1,
    maxLength: options.steps,
    size: "max",
  });
  const details = await fc.check(
    fc.asyncProperty(choices, async (c) => {
      const count: Record<string, number> = {};
      const r = await run(c, count);
      if (!r.ok) return false;
      steps += r.steps;
      for (const [k, v] of Object.entries(count)) explained[k] = (explained[k] ?? 0) + v;
      return true;
    }),
    { numRuns: options.runs, seed, endOnFailure: options.shrink === false },
  );
  const report = { runs: details.numRuns, steps, seed, explained };
  if (!details.failed || !details.counterexample) return report;
  // Re-running the shrunk sequence also re-throws a harness error (it fails a run the same way).
  const failing = await run(details.counterexample[0] as number[], {});
  if (failing.ok) return report;
  return {
    ...report,
    failure: { path: details.counterexamplePath ?? "", commands: failing.commands, divergence: failing.divergence },
  };
}
