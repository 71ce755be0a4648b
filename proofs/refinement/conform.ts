/**
 * Conformance by model-based testing: fast-check draws a run as a list of choices; each choice
 * picks one of the model's enabled steps (so runs never stall on a failed precondition), the
 * implementation performs the same command, and after every step the implementation's result and
 * abstract state must equal the model's successor, and the implementation's invariants must hold.
 * A failure shrinks to a minimal run and reports the seed and path that replay it.
 */
import fc from "fast-check";
import type { ConfigSet, Mode } from "../../hypervisor/index.js";
import type { Value } from "../../models/index.js";
import { compileModel } from "../explicit/compileModel.js";
import { type AbstractState, type Command, describeCommand, type Implementation } from "./implementation.js";
import { commandOf, lifecycleFor, modelView } from "./lifecycleModel.js";
import { enabledSteps, initialStates } from "./modelSteps.js";

export interface ConformOptions {
  readonly runs: number;
  readonly steps: number;
  readonly seed?: number;
  /** Shrink a failure to a minimal run (default true); off when only detection matters. */
  readonly shrink?: boolean;
}

/** Errors the model abstracts away (resources, memory): accepted when the abstract state did not change. */
const UNMODELLED = new Set(["EBUSY", "ENOMEM", "EINVAL", "E2BIG", "ERANGE"]);

export interface Departure {
  readonly step: number;
  readonly command: string;
  readonly expected: { readonly result: string; readonly state: AbstractState };
  readonly actual: { readonly result: string; readonly state: AbstractState; readonly invariants: readonly string[] };
}

export interface ConformReport {
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
    readonly modelTrace: { readonly vars: readonly string[]; readonly steps: { action: string; values: Value[] }[] };
  };
}

type Run =
  | { ok: true; steps: number; unmodelled: number }
  | { ok: false; commands: string[]; departure: Departure; trace: { action: string; values: Value[] }[] };

export function conform(
  set: ConfigSet,
  mode: Mode,
  implementation: (set: ConfigSet, mode: Mode) => Implementation,
  options: ConformOptions,
): ConformReport {
  const cm = compileModel(lifecycleFor(set));
  const init = initialStates(cm)[0] as Value[];
  let stepsChecked = 0;
  let unmodelled = 0;

  const run = (choices: readonly number[]): Run => {
    const impl = implementation(set, mode);
    let state = init;
    const commands: string[] = [];
    const trace = [{ action: "Init", values: state }];
    let steps = 0;
    let skipped = 0;
    const visited = new Set([stateKey(state)]);
    for (const choice of choices) {
      const candidates = enabledSteps(cm, state).flatMap((s) => {
        const command = commandOf(s);
        return command && impl.applicable(command) ? [{ step: s, command }] : [];
      });
      if (candidates.length === 0) break;
      // Prefer steps to model states this run has not visited (runs go deep instead of circling);
      // DISABLE and a vote that hangs end a run, so they are picked rarely.
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
      const { step, command } = pool[(choice >> 4) % pool.length] as (typeof candidates)[number];
      visited.add(stateKey(step.next));
      commands.push(describeCommand(command));
      const before = impl.abstractState();
      const result = performSafely(impl, command);
      let after: AbstractState;
      let invariants: readonly string[];
      try {
        after = impl.abstractState();
        invariants = impl.invariants();
      } catch (error) {
        after = before;
        invariants = [
          `the implementation failed to report its state: ${error instanceof Error ? error.message : String(error)}`,
        ];
      }
      const expected = modelView(cm.varNames, step.next);
      const expectedResult = isRootOp(command) ? expected.result : "ok";
      steps++;
      if (result !== expectedResult && UNMODELLED.has(result) && sameState(before, after) && invariants.length === 0) {
        skipped++;
        continue;
      }
      trace.push({ action: step.action, values: [...step.next] });
      if (result !== expectedResult || !sameState(after, expected.abstract) || invariants.length > 0) {
        return {
          ok: false,
          commands,
          trace,
          departure: {
            step: commands.length,
            command: describeCommand(command),
            expected: { result: expectedResult, state: expected.abstract },
            actual: { result, state: after, invariants },
          },
        };
      }
      state = step.next as Value[];
    }
    return { ok: true, steps, unmodelled: skipped };
  };

  const seed = options.seed ?? Date.now() % 2 ** 31;
  let failing: Run | undefined;
  const details = fc.check(
    fc.property(
      fc.array(fc.noBias(fc.nat({ max: 1 << 24 })), { minLength: 1, maxLength: options.steps, size: "max" }),
      (choices) => {
        const r = run(choices);
        if (r.ok) {
          stepsChecked += r.steps;
          unmodelled += r.unmodelled;
          return true;
        }
        failing = r;
        return false;
      },
    ),
    { numRuns: options.runs, seed, endOnFailure: options.shrink === false },
  );
  const report = { mode, runs: details.numRuns, stepsChecked, unmodelled, seed };
  if (!details.failed || !details.counterexample) return report;
  const last = run(details.counterexample[0] as number[]);
  const final = last.ok ? failing : last;
  if (!final || final.ok) return report;
  return {
    ...report,
    failure: {
      path: details.counterexamplePath ?? "",
      commands: final.commands,
      departure: final.departure,
      modelTrace: { vars: cm.varNames, steps: final.trace },
    },
  };
}

/** A model state as a key (the last operation and its result included: a new outcome is new ground). */
function stateKey(state: readonly Value[]): string {
  return JSON.stringify(state);
}

/** An implementation that throws has departed from the model too; its message is the result. */
function performSafely(impl: Implementation, command: Command): string {
  try {
    return impl.perform(command);
  } catch (error) {
    return `CRASH: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function isRootOp(c: Command): boolean {
  return c.op !== "write_state" && c.op !== "cpus_fail";
}

function sameState(a: AbstractState, b: AbstractState): boolean {
  const names = Object.keys(a.cells);
  return (
    a.count === b.count &&
    a.disabled === b.disabled &&
    a.hung === b.hung &&
    names.length === Object.keys(b.cells).length &&
    names.every((n) => a.cells[n] === b.cells[n])
  );
}
