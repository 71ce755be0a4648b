import { describe, expect, it } from "vitest";
import {
  builtinVariants,
  exploreVote,
  faultModels,
  recommend,
  type VoteSystem,
  variantModel,
} from "../../../proofs/index.js";

const fault = (name: string) => faultModels.find((f) => f.name === name) ?? expect.unreachable();
/** A voting and a passive cell, without reply timeouts: upstream's default, where the variants differ most. */
const system: VoteSystem = { cells: ["a", "b"], voters: ["a"], timeout: {} };
const variants = builtinVariants(system, 1);
const variant = (name: string) => variants.find((v) => v.name === name) ?? expect.unreachable();
const verdict = (cells: ReturnType<typeof exploreVote>, v: string, f: string, p: string) =>
  cells.find((c) => c.variant === v && c.fault === f && c.property === p);

describe("warden explore vote", () => {
  const cells = exploreVote({
    system: system,
    variants: [variant("upstream"), variant("timeout"), variant("lock-at-commit"), variant("quorum-all")],
    faults: [fault("crash"), fault("lock-race"), fault("late-reply")],
    timeout: 1,
  });

  it("finds upstream's freeze under a crash, and the timeout variant removes it (L3)", () => {
    expect(verdict(cells, "upstream", "crash", "no-freeze")?.verdict).toBe("violated");
    expect(verdict(cells, "timeout", "crash", "no-freeze")?.verdict).toBe("holds");
  });

  it("finds the lock race (L7) in upstream and not when the lock is re-checked at commit", () => {
    const race = verdict(cells, "upstream", "lock-race", "lock");
    expect(race?.verdict).toBe("violated");
    expect(race?.trace?.steps.some((s) => s.action.startsWith("CellLocks("))).toBe(true);
    expect(verdict(cells, "lock-at-commit", "lock-race", "lock")?.verdict).toBe("holds");
  });

  it("breaks channel discipline and consent under late replies, whatever the variant", () => {
    for (const v of ["upstream", "timeout", "lock-at-commit", "quorum-all"]) {
      expect(verdict(cells, v, "late-reply", "channel")?.verdict).toBe("violated");
    }
  });

  it("keeps the S-properties that upstream guarantees, and reports counterexample lengths", () => {
    for (const p of ["veto", "lock-check", "exclusion", "passive"]) {
      expect(cells.filter((c) => c.property === p).every((c) => c.verdict === "holds")).toBe(true);
    }
    for (const c of cells.filter((x) => x.verdict === "violated")) expect(c.length).toBe(c.trace?.steps.length);
  });

  it("recommends the variant keeping the most checks", () => {
    const best = recommend(
      cells,
      variants.filter((v) => ["upstream", "timeout", "lock-at-commit", "quorum-all"].includes(v.name)),
    );
    const score = (v: string) => cells.filter((c) => c.variant === v && c.verdict === "holds").length;
    expect(best && score(best.variant)).toBe(
      Math.max(...["upstream", "timeout", "lock-at-commit", "quorum-all"].map(score)),
    );
    expect(best?.violated.length).toBe((best?.checked ?? 0) - (best?.holds ?? 0));
  });

  it("makes create wait for every safety cell in the quorum design: a denial refuses it", () => {
    const model = variantModel(variant("quorum-all"), fault("none"), system, 1);
    expect(model.actions.map((a) => a.name)).toContain("HypervisorAsks");
    const v = exploreVote({
      system: system,
      variants: [variant("quorum-all")],
      faults: [fault("always-deny")],
      timeout: 1,
    });
    expect(verdict(v, "quorum-all", "always-deny", "veto")?.verdict).toBe("holds");
  });
});
