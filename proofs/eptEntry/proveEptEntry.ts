/** Runs the nested-EPT entry obligations on Z3: the in-process wasm build, or a native binary. */
import { spawnSync } from "node:child_process";
import { solve } from "../isolation/index.js";
import { type EptObligation, type EptSmtMutant, eptEntryObligations } from "./eptEntrySmt.js";

export interface EptObligationResult {
  readonly name: string;
  readonly verdict: "sat" | "unsat";
  /** Z3's output after the verdict: the model of a counterexample when `sat`. */
  readonly output: string;
  readonly ms: number;
}

/** Runs one script on a native z3-compatible binary (`-in`); throws when it gives no verdict. */
export function solveNative(binary: string, smt2: string): { verdict: "sat" | "unsat"; output: string } {
  const run = spawnSync(binary, ["-in"], { input: smt2, encoding: "utf8" });
  const output = run.stdout ?? "";
  const first = output.trim().split("\n")[0];
  if (first === "sat" || first === "unsat") return { verdict: first, output };
  throw new Error(`${binary} gave no verdict: ${(output || run.stderr || String(run.error)).split("\n")[0]}`);
}

/**
 * Proves the per-entry check (every obligation `unsat`), or with `mutant` shows the planted
 * mistake is caught. `native` names a z3 binary to use instead of the wasm build; `only` keeps
 * the obligations of those names.
 */
export async function proveEptEntry(
  options: { readonly mutant?: EptSmtMutant; readonly native?: string; readonly only?: readonly string[] } = {},
): Promise<EptObligationResult[]> {
  const out: EptObligationResult[] = [];
  for (const o of eptEntryObligations(options.mutant)) {
    if (options.only && !options.only.includes(o.name)) continue;
    out.push(await discharge(o, options.native));
  }
  return out;
}

async function discharge(o: EptObligation, native: string | undefined): Promise<EptObligationResult> {
  const started = performance.now();
  const withModel = `${o.smt2}(get-model)\n`;
  const answer = native ? solveNative(native, withModel) : await solve(withModel);
  return { name: o.name, verdict: answer.verdict, output: answer.output, ms: Math.round(performance.now() - started) };
}
