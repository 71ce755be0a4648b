import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { junitErrors } from "../generators/junit/junitSchema.js";
import { warden } from "./run.js";

describe("--junit", () => {
  it("writes one valid test case per model check, and per conformance run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-junit-"));
    const check = warden(["check", "TwoPhase", "CellLifecycle", "--junit", join(dir, "check.xml")]);
    expect(check.code).toBe(0);
    const conform = warden([
      "conform",
      "--model",
      "ownership",
      "--runs",
      "1",
      "--steps",
      "3",
      "--junit",
      join(dir, "conform.xml"),
      // One run cannot exercise every reachable label; coverage is not what this test is about.
      "--no-coverage-gate",
    ]);
    expect(conform.code, conform.stderr).toBe(0);
    const xml = ["check.xml", "conform.xml"].map((f) => readFileSync(join(dir, f), "utf8"));
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml[0]).toMatch(/<testsuite name="warden check" tests="2" failures="0"/);
    expect(xml[0]).toMatch(/<testcase name="CellLifecycle" classname="warden.check"/);
    expect(xml[1]).toMatch(/<testsuite name="warden conform" tests="2" failures="0"/);
  });

  it("marks a violated model check as a failure carrying the counterexample", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-junit-"));
    const r = warden(["check", "DieHard", "--junit", join(dir, "check.xml")]);
    const xml = readFileSync(join(dir, "check.xml"), "utf8");
    expect(await junitErrors(xml)).toEqual([]);
    expect([r.code, /failures="1"/.test(xml), /<failure message="[^"]+" type="violation">/.test(xml)]).toEqual([
      1,
      true,
      true,
    ]);
  });
});
