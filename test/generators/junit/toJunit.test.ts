import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type JunitCase, junitTimestamp, toJunit } from "../../../generators/index.js";
import { junitErrors } from "./junitSchema.js";

const junitCase: fc.Arbitrary<JunitCase> = fc.record(
  {
    name: fc.string({ unit: "binary", maxLength: 20 }),
    classname: fc.constantFrom("warden.prove", "warden.check", "warden.verify"),
    seconds: fc.double({ min: 0, max: 1e5, noNaN: true }),
    outcome: fc.constantFrom<JunitCase["outcome"]>("passed", "failed", "skipped", "error"),
    message: fc.string({ unit: "binary", maxLength: 30 }),
    details: fc.string({ unit: "binary", maxLength: 60 }),
  },
  { requiredKeys: ["name", "classname", "outcome"] },
);

describe("toJunit", () => {
  it("writes documents the JUnit schema accepts whatever the names and counterexamples contain", async () => {
    // Forty documents per run, validated in one libxml2 worker (starting one costs about a second).
    const suites = fc.array(fc.array(junitCase, { maxLength: 4 }), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(suites, { minLength: 40, maxLength: 40 }), async (documents) => {
        const xml = documents.map((d) =>
          toJunit(d.map((cases, i) => ({ name: `suite ${i}`, cases, timestamp: junitTimestamp() }))),
        );
        expect(await junitErrors(xml)).toEqual([]);
        documents.forEach((d, i) => {
          expect(xml[i]).toContain(`<testsuites name="warden" tests="${d.flat().length}"`);
          expect((xml[i]?.match(/<testcase /g) ?? []).length).toBe(d.flat().length);
        });
      }),
      { numRuns: 2 },
    );
  });

  it("counts failures, errors and skips per suite and carries the counterexample", async () => {
    const xml = toJunit([
      {
        name: "warden prove",
        cases: [
          {
            name: "WRD-MEM-DISJOINT",
            classname: "warden.prove",
            outcome: "failed",
            message: "1 witness",
            details: "a < b & c",
          },
          { name: "WRD-CPU-DISJOINT", classname: "warden.prove", outcome: "passed", seconds: 0.25 },
          { name: "TLC", classname: "warden.verify", outcome: "skipped", message: "not configured" },
        ],
      },
    ]);
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="warden prove" tests="3" failures="1" errors="0" skipped="1" time="0.250">/);
    expect(xml).toContain('<failure message="1 witness" type="violation">a &lt; b &amp; c</failure>');
  });

  it("is rejected by the schema when a test case lacks its name (the validator is not vacuous)", async () => {
    const xml = toJunit([{ name: "s", cases: [{ name: "x", classname: "c", outcome: "passed" }] }]);
    expect(await junitErrors(xml.replace('name="x" ', ""))).not.toEqual([]);
    expect(await junitErrors(xml.replace("</testsuites>", ""))).not.toEqual([]);
  });
});
