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
import { type ActionCoverage, actionCoverage, reachableLabels } from "./actionCoverage.js";
import { bindingStepLabel, bindingSteps } from "./bindingSteps.js";
import { lifecycleBinding, type ModelBinding } from "./bindings.js";
import { type Command, describeCommand, type Implementation, type ImplementationFactory } from "./implementation.js";
import { failingInvariants, initialStates, type ModelStep, stateKey } from "./modelSteps.js";
import { type CarriedState, checkStep, type Departure } from "./stepCheck.js";

export interface ConformOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed?: number;
  /** Shrink a failure to a minimal run (default true); off when only detection matters. */
  readonly shrink?: boolean;
  /**
   * Report action coverage: the labels exercised and the model's reachable labels, searched up to
   * this many model states (costs a search of the model's graph, so off unless asked for).
   */
  readonly coverage?: { readonly stateLimit: number };
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
  /** Those steps per kind: the operation and the result the model does not have (`create → EBUSY`). */
  readonly unmodelledKinds: Readonly<Record<string, number>>;
  /** With `coverage`: the model's action and outcome labels the run exercised, and those it missed. */
  readonly coverage?: ActionCoverage;
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
  | {
      readonly ok: true;
      readonly steps: number;
      readonly labels: readonly string[];
      readonly skipped: readonly string[];
    }
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
  set = binding.configure?.(set) ?? set;
  const cm = compileModel(binding.model(set, mode));
  const init = initialStates(cm)[0] as Value[];
  let stepsChecked = 0;
  const exercised = new Map<string, number>();
  const unmodelledKinds = new Map<string, number>();
  const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const labelOf = (step: ModelStep) => bindingStepLabel(binding, cm, step) ?? step.action;
  const run = async (choices: readonly number[]): Promise<Run> => {
    const impl = await implementation(set, mode);
    let state = init;
    const commands: string[] = [];
    const trace = [{ action: "Init", values: state }];
    const refused = await runPrelude(impl, binding, set);
    if (refused) return { ok: true, steps: 0, labels: [], skipped: [refused] };
    let steps = 0;
    const labels: string[] = [];
    const skipped: string[] = [];
    const visited = new Set([stateKey(state)]);
    const tried = new Set<string>();
    const carried: CarriedState = {};
    for (const choice of choices) {
      const candidates: { step: ModelStep; command: Command }[] = [];
      for (const step of bindingSteps(binding, cm, state)) {
        const command = binding.command(step);
        if (command && (await impl.applicable(command))) candidates.push({ step, command });
      }
      const novelty = options.coverage ? { tried, label: labelOf } : undefined;
      const picked = pick(candidates, visited, choice, binding.favourCalls === true, novelty);
      if (!picked) break;
      visited.add(stateKey(picked.step.next));
      if (options.coverage) tried.add(labelOf(picked.step));
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
        carried,
      );
      if (outcome.kind === "unmodelled") {
        skipped.push(`${picked.command.op} → ${outcome.result}`);
        continue;
      }
      if (options.coverage && outcome.kind === "conforms") labels.push(labelOf(picked.step));
      for (const s of picked.step.path ?? [{ action: picked.step.action, values: picked.step.next }])
        trace.push({ action: s.action, values: [...s.values] });
      if (outcome.kind === "departs") return { ok: false, commands, trace, departure: outcome.departure };
      state = picked.step.next as Value[];
    }
    return { ok: true, steps, labels, skipped };
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
      for (const l of r.labels) tally(exercised, l);
      for (const k of r.skipped) tally(unmodelledKinds, k);
      return true;
    }),
    { numRuns: options.runs, seed, endOnFailure: options.shrink === false },
  );
  const report = {
    model: binding.name,
    mode,
    runs: details.numRuns,
    stepsChecked,
    unmodelled: [...unmodelledKinds.values()].reduce((a, b) => a + b, 0),
    unmodelledKinds: Object.fromEntries([...unmodelledKinds].sort(([a], [b]) => (a < b ? -1 : 1))),
    seed,
    ...(options.coverage
      ? { coverage: actionCoverage(exercised, reachableLabels(binding, cm, init, options.coverage.stateLimit)) }
      : {}),
  };
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

/**
 * Performs the binding's prelude. A command not answering `ok` (a create a clashing set refuses)
 * leaves the run without steps; it is returned as a kind of step outside the abstraction.
 */
async function runPrelude(impl: Implementation, binding: ModelBinding, set: ConfigSet): Promise<string | undefined> {
  for (const command of binding.prelude?.(set) ?? []) {
    const result = await impl.perform(command);
    if (result !== "ok") return `prelude ${command.op} → ${result}`;
  }
  return undefined;
}

/** What a cell does on its own, as opposed to the root's hypercalls and the hypervisor's polls. */
const GUEST: ReadonlySet<Command["op"]> = new Set(["write_state", "cpus_fail", "answer", "declare"]);

/**
 * Prefers steps to model states this run has not visited, so runs go deep instead of circling;
 * DISABLE and a vote that hangs end a run, so they are picked rarely. With `novelty` (when coverage
 * is measured), every fourth choice prefers an action and outcome label this run has not taken yet, so
 * rare outcomes (an unlock after a lock) are reached with a small budget; it depends on the run's
 * own steps only, so a run replays and shrinks as before.
 */
function pick<T extends { step: ModelStep; command: Command }>(
  candidates: readonly T[],
  visited: ReadonlySet<string>,
  choice: number,
  favourCalls: boolean,
  novelty?: { readonly tried: ReadonlySet<string>; readonly label: (step: ModelStep) => string },
): T | undefined {
  if (candidates.length === 0) return undefined;
  const ongoing = candidates.filter(
    (c) => c.command.op !== "disable" && !("vote" in c.command && c.command.vote === "hang"),
  );
  if (novelty && choice % 4 === 3) {
    const novel = ongoing.filter((c) => !novelty.tried.has(novelty.label(c.step)));
    if (novel.length > 0) return novel[(choice >> 4) % novel.length];
  }
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
