/** In-process Z3 (WebAssembly), fed SMT-LIB text; one fresh context per script, so scripts never interact. */
import { init } from "z3-solver";

type Z3Api = Awaited<ReturnType<typeof init>>["Z3"];
let api: Promise<Z3Api> | undefined;

const z3 = (): Promise<Z3Api> => {
  api ??= init().then(({ Z3 }) => Z3);
  return api;
};

/** Runs an SMT-LIB script and returns the solver's output (`unsat`, or `sat` and the model values). */
export async function runSmt(smt2: string): Promise<string> {
  const Z3 = await z3();
  const cfg = Z3.mk_config();
  const ctx = Z3.mk_context(cfg);
  Z3.del_config(cfg);
  try {
    return await Z3.eval_smtlib2_string(ctx, smt2);
  } finally {
    Z3.del_context(ctx);
  }
}

/**
 * Runs `smt2` and returns Z3's verdict with its full output. z3-solver's asynchronous evaluation
 * occasionally returns a garbled answer (seen as "unsupported") when the machine is loaded; such
 * an answer is not a verdict, so the script is run again, up to five times.
 */
export async function solve(smt2: string): Promise<{ verdict: "sat" | "unsat"; output: string }> {
  let output = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    output = await runSmt(smt2);
    const verdict = output
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l === "sat" || l === "unsat");
    if (verdict === "sat" || verdict === "unsat") return { verdict, output };
  }
  throw new Error(`Z3 gave no verdict after 5 attempts: ${output.split("\n")[0]}`);
}

/** Z3's version, for evidence records. */
export async function z3Version(): Promise<string> {
  return (await z3()).get_full_version();
}
