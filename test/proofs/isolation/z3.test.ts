/**
 * The in-process Z3 gives whole answers: the script survives whatever the main thread does while
 * the worker runs (the root cause of `sat` without values under load), and an answer that stays
 * incomplete after the bounded re-run is `unknown` with a reason, never a verdict.
 */
import { describe, expect, it } from "vitest";
import { incompleteAnswer, runSmt, solve, solveOrUnknown, solverCounts } from "../../../proofs/index.js";
import { z3Module } from "../../../proofs/isolation/z3.js";

const satScript = [
  "(set-logic QF_BV)",
  "(declare-const k (_ BitVec 32))",
  "(assert (or false (and (= k (_ bv3 32)) (bvult (_ bv5 80) (_ bv9 80)))))",
  "(check-sat)",
  "(get-value (k))",
  "",
].join("\n");
const whole = "sat\n((k #x00000003))\n";

describe("runSmt", () => {
  it("reads the whole script even when the main thread reuses its wasm stack while Z3 runs", async () => {
    const { Z3 } = await z3Module();
    const cfg = Z3.mk_config();
    const ctx = Z3.mk_context(cfg);
    // z3-solver's own eval passed the script on this stack, popped before the worker read it:
    // these string calls overwrite exactly that region.
    const filler = "(".repeat(satScript.length * 2);
    const answers: string[] = [];
    for (let i = 0; i < 40; i++) {
      let settled = false;
      const answer = runSmt(satScript).finally(() => {
        settled = true;
      });
      while (!settled) {
        Z3.mk_string_symbol(ctx, filler);
        await new Promise((r) => setImmediate(r));
      }
      answers.push(await answer);
    }
    Z3.del_context(ctx);
    Z3.del_config(cfg);
    expect(answers.filter((a) => a !== whole)).toEqual([]);
  });

  it("runs concurrent callers one at a time, each with its own answer", async () => {
    const scripts = Array.from({ length: 12 }, (_, i) => satScript.replaceAll("bv3 32", `bv${i} 32`));
    const answers = await Promise.all(scripts.map((s) => runSmt(s)));
    expect(answers).toEqual(scripts.map((_, i) => `sat\n((k #x${i.toString(16).padStart(8, "0")}))\n`));
  });
});

describe("incompleteAnswer", () => {
  it("accepts a verdict with every requested value, and unsat whatever follows", () => {
    expect(incompleteAnswer(satScript, whole)).toBeUndefined();
    expect(incompleteAnswer(satScript, 'unsat\n(error "line 5 column 10: model is not available")\n')).toBeUndefined();
  });
  it("names what is missing", () => {
    expect(incompleteAnswer(satScript, "sat\n")).toMatch(/without values for 1 of 1 requested names \(first: k\)/);
    expect(incompleteAnswer(satScript, 'sat\n(error "x")\n')).toMatch(/then an error/);
    expect(incompleteAnswer(satScript, "unsupported\n; check-sa line: 4\n")).toMatch(/no verdict .*unsupported/);
    expect(incompleteAnswer(satScript, "")).toMatch(/no verdict/);
  });
});

describe("solveOrUnknown", () => {
  const faulty = (answers: string[]) => {
    let i = 0;
    return async () => answers[Math.min(i++, answers.length - 1)] ?? "";
  };
  it("re-runs an incomplete answer and returns the whole one", async () => {
    const before = solverCounts().reruns;
    const outcome = await solveOrUnknown(satScript, faulty(["sat\n", "unsupported\n", whole]));
    expect(outcome).toEqual({ verdict: "sat", output: whole });
    expect(solverCounts().reruns - before).toBe(2);
  });
  it("gives unknown with the reason when every attempt is incomplete, and solve throws it", async () => {
    const outcome = await solveOrUnknown(satScript, faulty(["sat\n"]));
    expect(outcome.verdict).toBe("unknown");
    expect(outcome.verdict === "unknown" && outcome.reason).toMatch(/without values .* after 5 attempts/);
    await expect(solve(satScript, faulty(["sat\n"]))).rejects.toMatchObject({
      name: "SolverIncomplete",
      message: expect.stringMatching(/WARDEN_Z3/),
    });
  });
  it("passes Z3's own unknown through without re-running", async () => {
    const before = solverCounts().reruns;
    expect(await solveOrUnknown(satScript, faulty(["unknown\n"]))).toMatchObject({ verdict: "unknown" });
    expect(solverCounts().reruns).toBe(before);
  });
});
