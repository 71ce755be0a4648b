/**
 * One proof obligation as a self-contained SMT-LIB script (QF over Bool and Int), run in-process
 * by Z3 and saved verbatim with `--smt2` so any SMT-LIB solver can re-run it.
 */
import { spawnSync } from "node:child_process";
import { inputError } from "../diagnostics/InputError.js";
import { incompleteAnswer, SolverIncomplete, solve } from "../isolation/z3.js";
import type { Decl } from "./shape.js";
import { type B, bTerm } from "./sym.js";

export interface Obligation {
  /** What the script asks, as an SMT-LIB comment on its first line. */
  readonly title: string;
  readonly decls: readonly Decl[];
  /** Named formulas, read back with the model: step indicators. */
  readonly defs: readonly (readonly [string, B])[];
  readonly asserts: readonly B[];
  /** Constants whose values are wanted when the script is satisfiable. */
  readonly wanted: readonly string[];
}

export function toSmt2(o: Obligation): string {
  const lines = [
    `; ${o.title}`,
    "; sat: a counterexample exists (values below); unsat: the obligation holds.",
    "(set-logic ALL)",
    ...o.decls.map((d) => `(declare-const ${d.name} ${d.sort})`),
    // Indicators are constants tied to their formula (get-value of a define-fun is not portable).
    ...o.defs.flatMap(([n, f]) => [`(declare-const ${n} Bool)`, `(assert (= ${n} ${bTerm(f)}))`]),
    ...o.asserts.filter((a) => a !== true).map((a) => `(assert ${bTerm(a)})`),
    "(check-sat)",
  ];
  return `${lines.join("\n")}\n`;
}

export interface Answer {
  readonly verdict: "sat" | "unsat";
  /** Values of the wanted names when sat. */
  readonly values: ReadonlyMap<string, boolean | number>;
  readonly smt2: string;
  readonly ms: number;
}

export async function discharge(o: Obligation): Promise<Answer> {
  const smt2 = toSmt2(o);
  const started = performance.now();
  const query = o.wanted.length > 0 ? `${smt2}(get-value (${o.wanted.join(" ")}))\n` : smt2;
  // solve() re-asks until the answer is whole (a verdict and every wanted value) or throws SolverIncomplete.
  const { verdict, output } = await solveWith(query);
  const values = verdict === "sat" ? parseValues(output) : new Map<string, boolean | number>();
  const missing = verdict === "sat" ? o.wanted.find((w) => !values.has(w)) : undefined;
  if (missing !== undefined) throw new SolverIncomplete(`Z3 answered sat without a value for ${missing}`);
  return { verdict, values, smt2, ms: Math.round(performance.now() - started) };
}
/** Reads `((name value) …)` pairs of a get-value answer: booleans and (possibly negative) integers. */
export function parseValues(output: string): Map<string, boolean | number> {
  const out = new Map<string, boolean | number>();
  const pair = /\(\s*([A-Za-z_][\w]*)\s+(true|false|-?\d+|\(\s*-\s*\d+\s*\))\s*\)/g;
  for (const m of output.matchAll(pair)) {
    const [, name = "", raw = ""] = m;
    const value =
      raw === "true"
        ? true
        : raw === "false"
          ? false
          : raw.startsWith("(")
            ? -Number(raw.replace(/[()\s-]/g, ""))
            : Number(raw);
    out.set(name, value);
  }
  return out;
}

/**
 * The in-process wasm Z3, or a native z3-compatible binary (reads SMT-LIB on stdin with `-in`)
 * named by WARDEN_Z3: the same scripts, roughly ten times faster on BMC unrollings.
 */
async function solveWith(query: string): Promise<{ verdict: "sat" | "unsat"; output: string }> {
  const binary = process.env.WARDEN_Z3;
  if (!binary) return solve(query);
  const run = spawnSync(binary, ["-in"], { input: query, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  if (run.error) throw inputError("WRD501", `WARDEN_Z3=${binary} cannot be run: ${run.error.message}`);
  const output = run.stdout ?? "";
  const first = output.split("\n")[0]?.trim();
  const problem = incompleteAnswer(query, output);
  if (problem === undefined && (first === "sat" || first === "unsat")) return { verdict: first, output };
  if (first === "unknown") throw new SolverIncomplete(`WARDEN_Z3=${binary} answered unknown`);
  throw inputError(
    "WRD501",
    `WARDEN_Z3=${binary} gave no complete answer: ${(problem ?? output) || run.stderr}`.split("\n")[0] ?? "",
  );
}
