import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, root, warden } from "./run.js";

describe("warden conform", () => {
  it("checks the core against every model in both modes, reports the seed, and fails on unexercised labels", () => {
    const r = warden(["conform", "--runs", "10", "--steps", "15", "--seed", "3", "--example", "arm64"]);
    // Ten short runs conform but miss reachable outcomes (e.g. a hanging vote): exit 1, with the labels named.
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("DEPARTS");
    expect(r.stdout).toMatch(/ {2}action coverage: \d+ of \d+ reachable labels exercised\n/);
    expect(r.stdout).toMatch(/ {10}0 {2}\S.* NEVER EXERCISED/);
    expect(r.stdout).toMatch(
      /^lifecycle upstream: 10 runs, \d+ steps conform .*seed 3\n[\s\S]*\nlifecycle strict: 10 runs/,
    );
    expect(r.stdout).toMatch(/\nownership upstream: 10 runs[\s\S]*\nownership strict: 10 runs/);
    expect(r.stdout).toMatch(/\nvote upstream: 10 runs[\s\S]*\nvote strict: 10 runs/);
    expect(r.stdout).toMatch(/\nvirtio-msi upstream: 10 runs/);
    expect(r.stdout).not.toContain("virtio-msi strict");
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
    expect(reports).toHaveLength(4);
    expect(reports[0].coverage.reachable).toContain("CellStart(approve) → ok");
    expect(Object.values(reports[0].coverage.exercised).reduce((a: number, b) => a + Number(b), 0)).toBeGreaterThan(0);
    expect(reports[0]).toMatchObject({ model: "lifecycle", mode: "strict", runs: 5, seed: 1 });
    expect(reports[1]).toMatchObject({ model: "ownership", mode: "strict", runs: 5, seed: 1 });
    expect(reports[2]).toMatchObject({ model: "vote", mode: "strict", runs: 5, seed: 1 });
    expect(reports[3]).toMatchObject({ model: "virtio-msi", mode: "strict", runs: 5, seed: 1 });
    expect(reports[3].coverage.reachable).toContain("DeliverMasked(rt-bare-metal, 0) → idle");
    expect(reports[0].stepsChecked).toBeGreaterThan(0);
  });

  it("refuses a bad mode with one line, exit 2", () => {
    const r = warden(["conform", "--mode", "lenient"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
  });

  it("refuses an unknown model with one line, exit 2", () => {
    const r = warden(["conform", "--model", "toString"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain("--model must be lifecycle, ownership, vote, virtio-msi or all");
  });
});

describe("warden conform across a process boundary", () => {
  const dir = mkdtempSync(join(tmpdir(), "warden-conform-"));
  const core = `"${process.execPath}" "${root}dist/cli/main.js" core-server`;

  it("tests Warden's own core served over the JSON-lines protocol", () => {
    const args = ["--runs", "5", "--steps", "12", "--seed", "2", "--example", "arm64", "--no-coverage-gate"];
    const r = warden(["conform", "--impl", core, ...args]);
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

  it("runs ManagementVote poll by poll over the protocol, and replays a vote failure's ITF trace", () => {
    const served = warden([
      "conform",
      "--model",
      "vote",
      "--impl",
      core,
      "--runs",
      "5",
      "--steps",
      "12",
      "--seed",
      "2",
      "--mode",
      "upstream",
    ]);
    expect(served.stderr).toBe("");
    expect(served.stdout).toMatch(/^vote upstream: 5 runs, \d+ steps conform/);
    // An implementation without an exchange: the first call departs.
    const script = join(dir, "no-exchange.mjs");
    writeFileSync(
      script,
      [
        'import { createInterface } from "node:readline";',
        "for await (const line of createInterface({ input: process.stdin })) {",
        "  const r = JSON.parse(line);",
        "  const exchange = { comm: {}, call: null, rootSuspended: false };",
        '  const state = { cells: { "rt-bare-metal": "absent", linux: "absent" }, count: 1, disabled: false, hung: false, exchange };',
        '  const answer = r.op === "applicable" ? { applicable: true } : r.op === "perform" ? { result: "ok" } : r.op === "state" ? { state, invariants: [] } : { ok: true };',
        "  process.stdout.write(JSON.stringify(answer) + '\\n');",
        "}",
      ].join("\n"),
    );
    const itf = join(dir, "vote.itf.json");
    const args = ["--model", "vote", "--mode", "upstream", "--example", "arm64"];
    const r = warden(["conform", ...args, "--impl", `"${process.execPath}" ${script}`, "--seed", "4", "--itf", itf]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("DEPARTS at step 1: root issues create");
    expect(r.stdout).toContain("replay: warden conform --model vote --mode upstream --seed 4");
    // The trace holds every model step of the failing call (the broadcast included), and the core conforms to it.
    const trace = JSON.parse(readFileSync(itf, "utf8"));
    expect(trace.states.length).toBeGreaterThan(2);
    expect(trace.states[0]).toHaveProperty("pc");
    const replayed = warden(["conform", ...args, "--replay", itf]);
    expect(replayed.stdout).toBe(`upstream: all ${trace.states.length - 1} steps conform\n`);
    expect(replayed.code).toBe(0);
  });

  it("says why a checker trace with a step the core does not take cannot be replayed", () => {
    const itf = join(dir, "design.itf.json");
    const checked = warden([
      "check",
      "vote",
      "--config",
      join(root, "examples/x86/system.yaml"),
      "--param",
      "design=true",
      "--itf",
      itf,
    ]);
    expect(checked.code).toBe(1);
    const r = warden(["conform", "--model", "vote", "--mode", "upstream", "--replay", itf]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    // The checker creates rt-bare-metal after linux; the model broadcasts in configuration order, the core in creation order.
    expect(r.stderr).toContain("by CellCreate, which the implementation does not take as a step of its own");
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
