/**
 * One isolation obligation on the in-process wasm Z3, or on the native z3-compatible binary named
 * by WARDEN_Z3 (`-in`, SMT-LIB on stdin): the same scripts, faster on large sets.
 */
import { spawnSync } from "node:child_process";
import { inputError } from "../diagnostics/InputError.js";
import { type Outcome, solveOrUnknown } from "./z3.js";

/** `reason` is set exactly when the verdict is unknown (an incomplete or `unknown` answer). */
export async function solveObligation(smt2: string): Promise<Outcome & { reason?: string }> {
  const binary = process.env.WARDEN_Z3;
  if (!binary) return solveOrUnknown(smt2);
  const run = spawnSync(binary, ["-in"], { input: smt2, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  if (run.error) throw inputError("WRD501", `WARDEN_Z3=${binary} cannot be run: ${run.error.message}`);
  const output = run.stdout ?? "";
  const first = output.split("\n")[0]?.trim();
  if (first === "sat" || first === "unsat") return { verdict: first, output };
  if (first === "unknown") return { verdict: "unknown", output, reason: `WARDEN_Z3=${binary} answered unknown` };
  throw inputError("WRD501", `WARDEN_Z3=${binary} gave no verdict: ${(output || run.stderr).split("\n")[0] ?? ""}`);
}
