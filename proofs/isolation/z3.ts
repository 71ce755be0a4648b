/**
 * In-process Z3 (WebAssembly), fed SMT-LIB text; one fresh context per script, so scripts never
 * interact.
 *
 * Why answers used to come back incomplete under load (`sat` without the model's values, or
 * `unsupported`): z3-solver 5.2.0's `Z3.eval_smtlib2_string` passes the script through emscripten's
 * `ccall` as a `string`, which copies it onto the main thread's wasm stack and pops that stack as
 * soon as the call returns — but the call only starts a worker thread, which reads the script
 * later. Whatever the main thread does meanwhile overwrites the script, so Z3 parses a truncated
 * or garbled text (seen: `; check-sa line: 4` with "invalid command"; a lost `(get-value …)` gives a
 * bare `sat`). The more the worker's start is delayed (CPU load), the likelier. Here the script is
 * copied into heap memory owned until the answer arrives, evaluations run one at a time through a
 * per-process queue (the library allows one asynchronous call at a time), and every answer is
 * checked for completeness — a verdict, and a value for every name the script asks for — with a
 * bounded re-run. An answer still incomplete is {@link SolverIncomplete}, never a verdict.
 */
import { init } from "z3-solver";

type Z3Module = Awaited<ReturnType<typeof init>>;

/** The emscripten module members used to call the asynchronous entry point with a heap-owned script. */
interface Emscripten {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly HEAPU8: Uint8Array;
  ccall(name: string, returns: "void", types: readonly string[], args: readonly unknown[]): void;
  async_call(run: () => void): Promise<string>;
}

let module: Promise<Z3Module> | undefined;
const z3 = (): Promise<Z3Module> => {
  module ??= init();
  return module;
};
/** The one z3-solver instance of this process (each `init()` would load another). */
export const z3Module = z3;

/** An answer that stayed incomplete after every re-run, or Z3's `unknown`: never a verdict. */
export class SolverIncomplete extends Error {
  constructor(readonly reason: string) {
    super(`${reason}; re-run, or set WARDEN_Z3 to a native z3 binary`);
    this.name = "SolverIncomplete";
  }
}

/** Counts since the process started, for the stress test and bench: re-runs should stay at 0. */
const counts = { evaluations: 0, reruns: 0, incomplete: 0 };
export const solverCounts = (): Readonly<typeof counts> => ({ ...counts });

let queue: Promise<unknown> = Promise.resolve();
/** Runs `job` after every job queued before it has settled: one evaluation at a time per process. */
function serialised<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

/** Runs an SMT-LIB script and returns the solver's output (`unsat`, or `sat` and the model values). */
export function runSmt(smt2: string): Promise<string> {
  return serialised(() => evaluate(smt2));
}

async function evaluate(smt2: string): Promise<string> {
  const { Z3, em } = await z3();
  const wasm = em as Emscripten;
  counts.evaluations++;
  const bytes = new TextEncoder().encode(smt2);
  const script = wasm._malloc(bytes.length + 1);
  const cfg = Z3.mk_config();
  const ctx = Z3.mk_context(cfg);
  Z3.del_config(cfg);
  try {
    // Memory is fixed-size (no growth), so HEAPU8 stays the live view.
    wasm.HEAPU8.set(bytes, script);
    wasm.HEAPU8[script + bytes.length] = 0;
    return await wasm.async_call(() =>
      wasm.ccall("async_Z3_eval_smtlib2_string", "void", ["number", "number"], [ctx, script]),
    );
  } finally {
    // The promise settles after the worker has returned from Z3, so neither is still in use.
    Z3.del_context(ctx);
    wasm._free(script);
  }
}

/**
 * Why `output` is not a whole answer to `smt2`, or undefined when it is: the first line must be a
 * verdict, and after `sat` every name of a `(get-value (…))` must have a value and no command may
 * have failed. (After `unsat` a get-value has no model; Z3's error for it is expected.)
 */
export function incompleteAnswer(smt2: string, output: string): string | undefined {
  const lines = output.split("\n").map((l) => l.trim());
  const first = lines.find((l) => l !== "");
  if (first !== "sat" && first !== "unsat" && first !== "unknown")
    return `Z3 gave no verdict (its answer began "${(first ?? "").slice(0, 60)}")`;
  if (first !== "sat") return undefined;
  const rest = output.slice(output.indexOf("sat") + 3);
  if (rest.includes("(error")) return `Z3 answered sat, then an error: ${rest.trim().split("\n")[0]?.slice(0, 120)}`;
  for (const m of smt2.matchAll(/\(get-value\s+\(([^()]*)\)\s*\)/g)) {
    const names = (m[1] ?? "").split(/\s+/).filter((n) => n !== "");
    const missing = names.filter((n) => !new RegExp(`\\(\\s*${regexQuoted(n)}\\s`).test(rest));
    if (missing.length > 0)
      return `Z3 answered sat without values for ${missing.length} of ${names.length} requested names (first: ${missing[0]})`;
  }
  return undefined;
}

const regexQuoted = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type Outcome =
  | { readonly verdict: "sat" | "unsat"; readonly output: string }
  | { readonly verdict: "unknown"; readonly output: string; readonly reason: string };

const ATTEMPTS = 5;

/**
 * Runs `smt2` until the answer is whole (at most five times) and returns the verdict, or
 * `unknown` with the reason when Z3 said `unknown` or no attempt gave a whole answer.
 * `run` is the evaluator (the in-process Z3 by default; tests pass a faulty one).
 */
export async function solveOrUnknown(smt2: string, run: (smt2: string) => Promise<string> = runSmt): Promise<Outcome> {
  let reason = "";
  let output = "";
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) counts.reruns++;
    output = await run(smt2);
    const problem = incompleteAnswer(smt2, output);
    const verdict = output.trim().split("\n")[0]?.trim();
    if (problem === undefined && verdict === "unknown") return { verdict, output, reason: "Z3 answered unknown" };
    if (problem === undefined && (verdict === "sat" || verdict === "unsat")) return { verdict, output };
    reason = problem ?? "Z3 gave no verdict";
  }
  counts.incomplete++;
  return { verdict: "unknown", output, reason: `${reason} after ${ATTEMPTS} attempts` };
}

/**
 * Runs `smt2` and returns Z3's verdict with its full output; throws {@link SolverIncomplete} when
 * the answer is `unknown` (see {@link solveOrUnknown}).
 */
export async function solve(
  smt2: string,
  run: (smt2: string) => Promise<string> = runSmt,
): Promise<{ verdict: "sat" | "unsat"; output: string }> {
  const outcome = await solveOrUnknown(smt2, run);
  if (outcome.verdict === "unknown") throw new SolverIncomplete(outcome.reason);
  return { verdict: outcome.verdict, output: outcome.output };
}

/** Z3's version, for evidence records. */
export async function z3Version(): Promise<string> {
  return (await z3()).Z3.get_full_version();
}
