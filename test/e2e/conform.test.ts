import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, root, warden } from "./run.js";

describe("warden conform", () => {
  it("checks the core against both models in both modes and reports the seed", () => {
    const r = warden(["conform", "--runs", "10", "--steps", "15", "--seed", "3", "--example", "arm64"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lifecycle upstream: 10 runs, \d+ steps conform .*seed 3\nlifecycle strict: 10 runs/);
    expect(r.stdout).toMatch(/\nownership upstream: 10 runs.*\nownership strict: 10 runs/);
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
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ model: "lifecycle", mode: "strict", runs: 5, seed: 1 });
    expect(reports[1]).toMatchObject({ model: "ownership", mode: "strict", runs: 5, seed: 1 });
    expect(reports[0].stepsChecked).toBeGreaterThan(0);
  });

  it("refuses a bad mode with one line, exit 2", () => {
    const r = warden(["conform", "--mode", "lenient"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
  });
});

describe("warden conform across a process boundary", () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-conform-"));
  const core = `"${process.execPath}" "${root}dist/cli/main.js" core-server`;

  it("tests Warden's own core served over the JSON-lines protocol", () => {
    const r = warden(["conform", "--impl", core, "--runs", "5", "--steps", "12", "--seed", "2", "--example", "arm64"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/upstream: 5 runs, \d+ steps conform/);
  });

  it("finds the departure of an implementation that never changes anything, and writes the ITF trace", () => {
    const script = join(dir, "lazy.mjs");
    writeFileSync(
      script,
      [
        'import { createInterface } from "node:readline";',
        "for await (const line of createInterface({ input: process.stdin })) {",
        "  const r = JSON.parse(line);",
        '  const state = { cells: { "rt-bare-metal": "absent", linux: "absent" }, count: 1, disabled: false, hung: false };',
        '  const answer = r.op === "applicable" ? { applicable: true } : r.op === "perform" ? { result: "ok" } : r.op === "state" ? { state, invariants: [] } : { ok: true };',
        "  process.stdout.write(JSON.stringify(answer) + '\\n');",
        "}",
      ].join("\n"),
    );
    const itf = join(dir, "failure.itf.json");
    const r = warden([
      "conform",
      "--impl",
      `"${process.execPath}" ${script}`,
      "--runs",
      "20",
      "--seed",
      "4",
      "--mode",
      "upstream",
      "--example",
      "arm64",
      "--itf",
      itf,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("DEPARTS at step 1: create cell");
    expect(r.stdout).toContain("minimal run:\n    1. create cell");
    const trace = JSON.parse(readFileSync(itf, "utf8"));
    expect(trace.states).toHaveLength(2);
    // The trace replays: the built-in core conforms, the lazy one departs at the same step.
    expect(warden(["conform", "--replay", itf, "--mode", "upstream", "--example", "arm64"]).stdout).toBe(
      "upstream: all 1 steps conform\n",
    );
    const again = warden([
      "conform",
      "--replay",
      itf,
      "--impl",
      `"${process.execPath}" ${script}`,
      "--mode",
      "upstream",
      "--example",
      "arm64",
    ]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("DEPARTS at step 1");
  });

  it("rejects a trace whose states do not follow from each other, naming the state", () => {
    const bad = join(dir, "bad.itf.json");
    const init = {
      state: {
        "#map": [
          ["linux", "absent"],
          ["rt-bare-metal", "absent"],
        ],
      },
      lastOp: { op: "none", target: "none", result: "none", othersLocked: false },
      hung: false,
      disabled: false,
      count: { "#bigint": "1" },
    };
    writeFileSync(
      bad,
      JSON.stringify({ vars: Object.keys(init), states: [init, { ...init, count: { "#bigint": "3" } }] }),
    );
    const r = warden(["conform", "--replay", bad, "--example", "arm64", "--mode", "upstream"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain("states[1]");
  });
});
