/** Coverage of a requirement from its linked and supporting evidence: fresh and passing, or why not. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EvidenceItem, Requirement } from "../../../proofs/index.js";
import { trace } from "../../../proofs/index.js";

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
  it("verifies a requirement exactly when every link is fresh and passing and no supporting item fails", () => {
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
          expect(row?.coverage === "verified").toBe(allFreshPass && !freshFail);
          expect(row?.coverage === "failing").toBe(freshFail);
          if (!freshFail && links.some((e) => e.freshness === "stale")) expect(row?.coverage).toBe("stale");
          expect(t.uncovered).toEqual(row?.coverage === "verified" ? [] : ["REQ-X"]);
          expect(t.orphans).toEqual(["rule:ORPHAN"]);
          for (const e of [...links, ...support]) expect(t.backward[e.id]).toEqual(["REQ-X"]);
        },
      ),
    );
  });
});
