import { describe, expect, it } from "vitest";
import { nestedEpt, nestedIsolationLemmas } from "../../../models/index.js";
import { ModelEncoding, type StatePredicate } from "../../../proofs/induction/index.js";
import { inductionQuery } from "../../../proofs/induction/induction.js";

/**
 * NestedIsolation's induction proof on the default parameters (one CPU, large pages of two, a
 * shrinking host map). `warden prove --model NestedEpt` finds NestedIsolation inductive with the
 * lemmas NoStaleValid, RunningProtected and DeclaredWriteKeepsValid, which in turn need
 * TablePagesProtected; here each member is checked against all the others, which closes the set
 * (one query on the whole conjunction is far slower in the wasm Z3).
 */
describe("NestedEpt induction", () => {
  const model = nestedEpt({ cpus: 1, largePages: 2, shrink: true, writes: 1 });
  const enc = new ModelEncoding(model);
  const pred = (name: string): StatePredicate =>
    enc.predicates.find((p) => p.name === name) ?? expect.unreachable(name);

  it("finds NestedIsolation alone not inductive", async () => {
    expect((await inductionQuery(enc, pred("NestedIsolation"), [])).verdict).toBe("cti");
  }, 180_000);

  for (const goal of nestedIsolationLemmas) {
    it(`proves ${goal} inductive relative to TypeOK and the rest of the lemma set`, async () => {
      const others = nestedIsolationLemmas.filter((n) => n !== goal).map(pred);
      expect((await inductionQuery(enc, pred(goal), others)).verdict).toBe("inductive");
    }, 180_000);
  }
});
