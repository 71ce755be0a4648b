/**
 * Conformance by model-based testing: fast-check draws a run as a list of choices; each choice
 * picks one of the model's enabled steps (so runs never stall on a failed precondition), the
 * implementation performs the same command, and `checkStep` compares the two. A failure shrinks
 * to a minimal run and reports the seed and path that replay it.
 */
import fc from "fast-check";
import type { ConfigSet, Mode } from "../../hypervisor/index.js";
import type { Value } from "../../models/index.js";
import { compileModel } from "../explicit/compileModel.js";
import { lifecycleBinding, type ModelBinding } from "./bindings.js";
import { type Command, describeCommand, type ImplementationFactory } from "./implementation.js";
import { enabledSteps, failingInvariants, initialStates, type ModelStep, stateKey } from "./modelSteps.js";
import { checkStep, type Departure } from "./stepCheck.js";

export interface ConformOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed?: number;
  /** Shrink a failure to a minimal run (default true); off when only detection matters. */
  readonly shrink?: boolean;
}

export interface ModelTrace {
  readonly vars: readonly string[];
  readonly steps: { action: string; values: Value[] }[];
}

export interface ConformReport {
  readonly model: ModelBinding["name"];
  readonly mode: Mode;
  readonly runs: number;
  readonly stepsChecked: number;
  /** Steps whose result the model abstracts (e.g. -EBUSY for a CPU conflict) and that changed nothing abstract. */
  readonly unmodelled: number;
  readonly seed: number;
  readonly failure?: {
    readonly path: string;
    readonly commands: readonly string[];
    readonly departure: Departure;
    /** The model's states along the failing run, for an ITF trace. */
    readonly modelTrace: ModelTrace;
  };
}

type Run =
  | { readonly ok: true; readonly steps: number; readonly unmodelled: number }
  | {
      readonly ok: false;
      readonly commands: string[];
      readonly departure: Departure;
      readonly trace: ModelTrace["steps"];
    };

export async function conform(
  set: ConfigSet,
  mode: Mode,
  implementation: ImplementationFactory,
  options: ConformOptions,
  binding: ModelBinding = lifecycleBinding,
): Promise<ConformReport> {
  const cm = compileModel(binding.model(set, mode));
  const init = initialStates(cm)[0] as Value[];
  let stepsChecked = 0;
  let unmodelled = 0;

  const run = async (choices: readonly number[]): Promise<Run> => {
    const impl = await implementation(set, mode);
    let state = init;
    const commands: string[] = [];
    const trace = [{ action: "Init", values: state }];
    let steps = 0;
    let skipped = 0;
    const visited = new Set([stateKey(state)]);
    for (const choice of choices) {
      const candidates: { step: ModelStep; command: Command }[] = [];
      for (const step of binding.steps?.(cm, state) ?? enabledSteps(cm, state)) {
        const command = binding.command(step);
        if (command && (await impl.applicable(command))) candidates.push({ step, command });
      }
      const picked = pick(candidates, visited, choice, binding.favourCalls === true);
      if (!picked) break;
      visited.add(stateKey(picked.step.next));
      commands.push(describeCommand(picked.command));
      steps++;
      const tolerated = binding.tolerated(mode, failingInvariants(cm, picked.step.next));
      const outcome = await checkStep(
        impl,
        binding,
        cm.varNames,
        picked.step.next,
        picked.command,
        commands.length,
        tolerated,
      );
      if (outcome.kind === "unmodelled") {
        skipped++;
        continue;
      }
      for (const s of picked.step.path ?? [{ action: picked.step.action, values: picked.step.next }])
        trace.push({ action: s.action, values: [...s.values] });
      if (outcome.kind === "departs") return { ok: false, commands, trace, departure: outcome.departure };
      state = picked.step.next as Value[];
    }
    return { ok: true, steps, unmodelled: skipped };
  };

  const seed = options.seed ?? Date.now() % 2 ** 31;
  const choices = fc.array(fc.noBias(fc.nat({ max: 1 << 24 })), {
    minLength: 1,
    maxLength: options.steps,
    size: "max",
  });
  const details = await fc.check(
    fc.asyncProperty(choices, async (c) => {
      const r = await run(c);
      if (!r.ok) return false;
      stepsChecked += r.steps;
      unmodelled += r.unmodelled;
      return true;
    }),
    { numRuns: options.runs, seed, endOnFailure: options.shrink === false },
  );
  const report = { model: binding.name, mode, runs: details.numRuns, stepsChecked, unmodelled, seed };
  if (!details.failed || !details.counterexample) return report;
  const failing = await run(details.counterexample[0] as number[]);
  if (failing.ok) return report;
  return {
    ...report,
    failure: {
      path: details.counterexamplePath ?? "",
      commands: failing.commands,
      departure: failing.departure,
      modelTrace: { vars: cm.varNames, steps: failing.trace },
    },
  };
}

/** What a cell does on its own, as opposed to the root's hypercalls and the hypervisor's polls. */
const GUEST: ReadonlySet<Command["op"]> = new Set(["write_state", "cpus_fail", "answer", "declare"]);

/**
 * Prefers steps to model states this run has not visited, so runs go deep instead of circling;
 * DISABLE and a vote that hangs end a run, so they are picked rarely.
 */
function pick<T extends { step: ModelStep; command: Command }>(
  candidates: readonly T[],
  visited: ReadonlySet<string>,
  choice: number,
  favourCalls: boolean,
): T | undefined {
  if (candidates.length === 0) return undefined;
  const ongoing = candidates.filter(
    (c) => c.command.op !== "disable" && !("vote" in c.command && c.command.vote === "hang"),
  );
  const fresh = ongoing.filter((c) => !visited.has(stateKey(c.step.next)));
  const pool =
    choice % 16 === 0
      ? candidates
      : fresh.length > 0 && choice % 4 !== 1
        ? fresh
        : ongoing.length > 0
          ? ongoing
          : candidates;
  // With many cell moves per state, every other choice goes to the root's calls, so they are not drowned.
  const calls = favourCalls ? pool.filter((c) => !GUEST.has(c.command.op)) : [];
  const from = choice & 4 && calls.length > 0 ? calls : pool;
  return from[(choice >> 4) % from.length];
}
