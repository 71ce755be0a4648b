import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { overlappingExampleYaml } from "../builders/overlappingExample.js";
import { isOneLineError, warden } from "./run.js";

describe("warden prove", () => {
  it("proves the built-in example, saving every obligation as SMT-LIB", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-prove-"));
    const r = warden(["prove", "--smt2", join(dir, "smt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[proved\] WRD-MEM-DISJOINT/);
    const files = readdirSync(join(dir, "smt"));
    expect(files).toContain("WRD-MEM-DISJOINT.smt2");
    expect(readFileSync(join(dir, "smt", "WRD-MEM-DISJOINT.smt2"), "utf8")).toContain("(check-sat)");
  });

  it("exits 1 with a witness and writes SARIF for an overlapping configuration", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-prove-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, overlappingExampleYaml());
    const r = warden(["prove", bad, "--sarif", join(dir, "out.sarif"), "--json"]);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as { rule: string; verdict: string; witnesses: { message: string }[] }[];
    const mem = rows.find((x) => x.rule === "WRD-MEM-DISJOINT");
    expect(mem?.verdict).toBe("violated");
    expect(mem?.witnesses[0]?.message).toMatch(/address 0x3b0/);
    const sarif = JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules.length).toBe(rows.length);
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "WRD-MEM-DISJOINT")).toBe(true);
  });

  it("exits 2 with one line for a bad sharing policy", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-prove-"));
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, "sharing:\n  - cells: [a]\n    phys_start: 0\n    size: 1\n    reason: x\n");
    const r = warden(["prove", "--sharing", policy]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(r.stderr).toContain("sharing[0].cells");
  });
});
