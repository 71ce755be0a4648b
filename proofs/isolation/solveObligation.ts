/**
 * Isolation obligations on the in-process wasm Z3, or on the native z3-compatible binary named
 * by WARDEN_Z3 (`-in`, SMT-LIB on stdin): the same scripts, 10–30× faster on large sets. Many
 * small scripts go to the native binary in one process, separated by `(reset)`, so a rule split
 * into thousands of windows does not pay a process start per window.
 */
import { spawnSync } from "node:child_process";
import { inputError } from "../diagnostics/InputError.js";
import { type Outcome, solveOrUnknown } from "./z3.js";

export type Solved = Outcome & { reason?: string };

/** `reason` is set exactly when the verdict is unknown (an incomplete or `unknown` answer). */
export async function solveObligation(smt2: string): Promise<Solved> {
  return (await solveObligations([smt2]))[0] as Solved;
}

const BATCH = 256;

/** Each script's outcome, in order; scripts must not depend on each other. */
export async function solveObligations(scripts: readonly string[]): Promise<Solved[]> {
  const binary = process.env.WARDEN_Z3;
  const out: Solved[] = [];
  if (!binary) {
    for (const s of scripts) out.push(await solveOrUnknown(s));
    return out;
  }
  for (let from = 0; from < scripts.length; from += BATCH)
    out.push(...runNative(binary, scripts.slice(from, from + BATCH)));
  return out;
}

function runNative(binary: string, scripts: readonly string[]): Solved[] {
  const input = scripts.join("(reset)\n");
  const run = spawnSync(binary, ["-in"], { input, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  if (run.error) throw inputError("WRD501", `WARDEN_Z3=${binary} cannot be run: ${run.error.message}`);
  const output = run.stdout ?? "";
  const lines = output.split("\n").map((l) => l.trim());
  const error = lines.find((l) => l.startsWith("(error"));
  const verdicts = lines.filter((l) => l === "sat" || l === "unsat" || l === "unknown");
  if (verdicts.length === 0 && scripts.length === 1 && !error)
    throw inputError("WRD501", `WARDEN_Z3=${binary} gave no verdict: ${(output || run.stderr).split("\n")[0] ?? ""}`);
  // A script the binary rejected in part is never a verdict: its assertions may be missing.
  if (error || verdicts.length !== scripts.length) {
    const reason = `WARDEN_Z3=${binary} answered ${verdicts.length} of ${scripts.length} scripts${error ? `: ${error.slice(0, 120)}` : ""}`;
    return scripts.map(() => ({ verdict: "unknown" as const, output, reason }));
  }
  // One script: the whole output (a model's values follow its verdict).
  const whole = (v: string) => (scripts.length === 1 ? output : v);
  return verdicts.map((v) =>
    v === "unknown"
      ? { verdict: "unknown" as const, output: whole(v), reason: `WARDEN_Z3=${binary} answered unknown` }
      : { verdict: v as "sat" | "unsat", output: whole(v) },
  );
}
