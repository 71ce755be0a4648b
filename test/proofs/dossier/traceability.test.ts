/** Coverage of a requirement from its linked and supporting evidence: fresh and passing, or why not. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EvidenceItem, Requirement } from "../../../proofs/index.js";
import { isVerified, trace } from "../../../proofs/index.js";

const item = (id: string, result: EvidenceItem["result"], freshness: EvidenceItem["freshness"]): EvidenceItem => ({
  id,
  title: id,
  result,
  freshness,
  detail: "",
  tool: "t",
  params: {},
  ms: 0,
  inputs: { x: "1" },
  producedAt: "2026-12-01T00:00:00.000Z",
});

const arbItem = (id: string) =>
  fc
    .tuple(
      fc.constantFrom<EvidenceItem["result"]>("pass", "fail", "inconclusive", "not run"),
      fc.constantFrom<EvidenceItem["freshness"]>("new", "reused", "stale"),
    )
    .map(([r, f]) => item(id, r, f));

describe("trace", () => {
  it("verifies (proves or tests) a requirement exactly when every link is fresh and passing and no supporting item fails", () => {
    fc.assert(
      fc.property(
        fc.array(arbItem("x"), { minLength: 1, maxLength: 4 }),
        fc.array(arbItem("y"), { maxLength: 3 }),
        (linked, supporting) => {
          const links = linked.map((e, i) => ({ ...e, id: `model:L.${i}` }));
          const support = supporting.map((e, i) => ({ ...e, id: `tlc:S${i}` }));
          const req: Requirement = {
            id: "REQ-X",
            statement: "a statement long enough",
            rationale: "a rationale long enough",
            links: links.map((e) => e.id),
            supporting: support.map((e) => e.id),
          };
          const t = trace([req], [...links, ...support, item("rule:ORPHAN", "pass", "new")]);
          const row = t.rows[0];
          const freshFail = [...links, ...support].some((e) => e.result === "fail" && e.freshness !== "stale");
          const allFreshPass = links.every((e) => e.result === "pass" && e.freshness !== "stale");
          const status = row?.status ?? "failed";
          expect(isVerified(status)).toBe(allFreshPass && !freshFail);
          // model:… links are exhaustive checks: passing, they prove.
          if (isVerified(status)) expect(status).toBe("proved");
          expect(status === "failed").toBe(freshFail);
          if (!freshFail && links.some((e) => e.freshness === "stale")) expect(status).toBe("stale");
          if (!freshFail && !links.some((e) => e.freshness === "stale") && !allFreshPass)
            expect(status).toBe("missing");
          expect(t.short).toEqual(isVerified(status) ? [] : ["REQ-X"]);
          expect((row?.shortBecause.length ?? 0) > 0).toBe(!isVerified(status));
          expect(t.orphans).toEqual(["rule:ORPHAN"]);
          for (const e of [...links, ...support]) expect(t.backward[e.id]).toEqual(["REQ-X"]);
        },
      ),
    );
  });
});

describe("the strength of a requirement's evidence", () => {
  const req = (links: string[], budget?: { runs: number; steps: number }): Requirement => ({
    id: "REQ-X",
    statement: "a statement long enough",
    rationale: "a rationale long enough",
    links,
    supporting: [],
    ...(budget ? { budget } : {}),
  });
  const sampled = (runs: number) => ({
    ...item("conform:lifecycle:upstream", "pass", "new"),
    params: { runs, steps: 30, seed: 1 },
  });

  it("is tested, not proved, when a link is sampled, and weaker than required below the requirement's budget", () => {
    const proof = item("rule:WRD-CPU-DISJOINT", "pass", "new");
    expect(trace([req([proof.id])], [proof]).rows[0]?.status).toBe("proved");
    const at = trace([req([proof.id, "conform:lifecycle:upstream"], { runs: 100, steps: 30 })], [proof, sampled(100)]);
    expect(at.rows[0]?.status).toBe("tested");
    const below = trace(
      [req([proof.id, "conform:lifecycle:upstream"], { runs: 100, steps: 30 })],
      [proof, sampled(15)],
    );
    expect(below.rows[0]?.status).toBe("weak");
    expect(below.rows[0]?.shortBecause).toEqual([
      "conform:lifecycle:upstream ran 15 runs, the requirement demands 100",
    ]);
    expect(below.short).toEqual(["REQ-X"]);
  });

  it("does not fail a requirement on a failed induction when the exhaustive check of the same invariant passes", () => {
    const check = item("model:M.Inv", "pass", "new");
    const induction = item("induction:M.Inv", "fail", "new");
    const row = trace([req([check.id, induction.id])], [check, induction]).rows[0];
    expect(row?.status).toBe("proved");
    expect(row?.shortBecause).toEqual(["induction:M.Inv not shown inductive; the exhaustive check stands"]);
    const failedCheck = item("model:M.Inv", "fail", "new");
    expect(trace([req([failedCheck.id, induction.id])], [failedCheck, induction]).rows[0]?.status).toBe("failed");
    expect(trace([req([induction.id])], [induction]).rows[0]?.status).toBe("failed");
  });
});
