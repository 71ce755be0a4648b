import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

describe("warden conform", () => {
  it("checks the core against the CellLifecycle model in both modes and reports the seed", () => {
    const r = warden(["conform", "--runs", "10", "--steps", "15", "--seed", "3", "--example", "arm64"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^upstream: 10 runs, \d+ steps conform .*seed 3\nstrict: 10 runs/);
  });

  it("prints JSON reports", () => {
    const r = warden([
      "conform",
      "--runs",
      "5",
      "--steps",
      "10",
      "--seed",
      "1",
      "--mode",
      "strict",
      "--json",
      "--example",
      "arm64",
    ]);
    const reports = JSON.parse(r.stdout);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ mode: "strict", runs: 5, seed: 1 });
    expect(reports[0].stepsChecked).toBeGreaterThan(0);
  });

  it("refuses a bad mode with one line, exit 2", () => {
    const r = warden(["conform", "--mode", "lenient"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
  });
});
