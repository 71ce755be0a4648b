/** The saved SMT-LIB obligations are solver-independent: a native z3 on PATH gives the same verdicts. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findModel } from "../../../models/index.js";
import { proveModel } from "../../../proofs/induction/index.js";

const native = spawnSync("z3", ["-version"], { encoding: "utf8" }).status === 0;
if (!native) process.stderr.write("[warden] native-solver cross-check skipped: no z3 on PATH\n");

const verdictOf = (smt2: string): string =>
  (spawnSync("z3", ["-in"], { input: smt2, encoding: "utf8" }).stdout ?? "").trim().split("\n")[0] ?? "";

describe.skipIf(!native)("a native solver re-runs the saved obligations", () => {
  for (const [name, params] of [
    ["ResourceOwnership", {}],
    ["TwoPhase", { rms: "2" }],
  ] as const) {
    it(`${name}: same verdict for every induction query`, async () => {
      const model = findModel(name)?.build(params);
      if (!model) throw new Error(name);
      const proof = await proveModel(model, { bmc: 2 });
      const queries = proof.predicates.flatMap((p) => p.queries);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect([q.goal, q.assumed, verdictOf(q.smt2)]).toEqual([
          q.goal,
          q.assumed,
          q.verdict === "cti" ? "sat" : "unsat",
        ]);
      }
    }, 120_000);
  }
});
