import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

describe("warden explore vote", () => {
  it("prints the matrix, writes the Markdown report and every counterexample as ITF and Mermaid", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-explore-"));
    const md = join(dir, "vote.md");
    const r = warden([
      "explore",
      "vote",
      "--variant",
      "upstream",
      "test/fixtures/vote/fencedVariant.mjs",
      "--fault",
      "lock-race",
      "--md",
      md,
      "--out",
      join(dir, "cex"),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fault: lock-race/);
    expect(r.stdout).toMatch(/\nupstream +holds +holds +holds +✗ \d+/);
    expect(r.stdout).toMatch(/\nfenced +holds +holds +holds +holds /);
    expect(r.stdout).toMatch(/Recommendation: fenced keeps/);
    const report = readFileSync(md, "utf8");
    expect(report).toMatch(/^# Management-vote protocols compared/);
    expect(report).toContain("### upstream: lock (fault lock-race");
    expect(report).toContain("```mermaid\nsequenceDiagram");
    const files = readdirSync(join(dir, "cex"));
    expect(files).toContain("upstream.lock-race.lock.itf.json");
    expect(files).toContain("upstream.lock-race.lock.mmd");
    const itf = JSON.parse(readFileSync(join(dir, "cex", "upstream.lock-race.lock.itf.json"), "utf8"));
    expect(itf.vars).toContain("lockedAtCommit");
  });

  it("loads a TypeScript variant that builds its own model", () => {
    const r = warden([
      "explore",
      "vote",
      "--variant",
      "upstream",
      "test/fixtures/vote/guardedVariant.ts",
      "--fault",
      "lock-race",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nupstream +holds +holds +holds +✗ \d+/);
    expect(r.stdout).toMatch(/\nguarded +holds +holds +holds +holds /);
  });

  it("prints JSON with one record per check", () => {
    const r = warden(["explore", "vote", "--variant", "upstream", "--fault", "none", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.cells).toHaveLength(10);
    expect(json.cells.map((c: { property: string }) => c.property)).toContain("no-freeze");
  });

  it("rejects unknown variants and broken variant files with one line and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-explore-"));
    const bad = join(dir, "bad.mjs");
    writeFileSync(bad, "export default { summary: 'no name' };\n");
    for (const args of [
      ["--variant", "nope"],
      ["--variant", bad],
      ["--fault", "gremlins"],
      ["--cells", "2", "--voters", "3"],
    ]) {
      const r = warden(["explore", "vote", ...args]);
      expect(r.code).toBe(2);
      expect(isOneLineError(r)).toBe(true);
    }
  });
});

describe("warden explore irq", () => {
  it("prints the property matrix and the cost table, and --json carries both", () => {
    const text = warden(["explore", "irq", "--design", "legacy", "unmask"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\nlegacy +holds +holds +holds +holds/);
    expect(text.stdout).toMatch(/\nhostile-retarget +unmask +3 +3 /);
    const json = JSON.parse(warden(["explore", "irq", "--design", "unmask", "--json"]).stdout);
    expect(
      json.cells.find((c: { property: string }) => c.property === "DeliveredOnlyInOwningCell").trace.vars,
    ).toContain("escaped");
    expect(json.runs).toHaveLength(3);
  });

  it("refuses an unknown design in one line", () => {
    const r = warden(["explore", "irq", "--design", "psychic"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
  });

  it("--config explores the set's virtio device, and refuses a set without one naming the file and field", () => {
    const system = "examples/x86/qemu-x86.cell";
    const r = warden(["explore", "irq", "--config", system, "examples/sim/rt-virtio.yaml", "--design", "unmask"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("device vda of cell rt-bare-metal (CPUs 2, 2 vectors, x86), root on CPU 0");
    expect(r.stdout).toMatch(/\nhostile-retarget +unmask +3 +3 .* 1 +0 +0\n/);
    const bad = warden(["explore", "irq", "--config", system, "examples/x86/rt-bare-metal.cell"]);
    expect(bad.code).toBe(2);
    expect(isOneLineError(bad)).toBe(true);
    expect(bad.stderr).toContain("WRD203: examples/x86/rt-bare-metal.cell: warden_virtio:");
  });
});
