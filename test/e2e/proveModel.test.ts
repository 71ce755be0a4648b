import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

describe("warden prove --model", () => {
  it("exits 0 when every invariant is inductive (with lemmas) and saves the obligations as SMT-LIB", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-prove-model-"));
    const r = warden(["prove", "--model", "ResourceOwnership", "--param", "mode=strict", "--bmc", "2", "--smt2", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[inductive\] RootRegainsItsOwn: inductive with lemmas RootOriginalHeld, HoldersExist/);
    expect(r.stdout).toMatch(/\[bmc\] no violation of .* within 2 steps/);
    const files = readdirSync(dir);
    expect(files).toContain("RootRegainsItsOwn-0.smt2");
    expect(files).toContain("bmc-2-0.smt2");
    const smt2 = readFileSync(join(dir, "RootRegainsItsOwn-0.smt2"), "utf8");
    expect(smt2).toContain("(check-sat)");
    expect(smt2).not.toContain("get-value");
  }, 120_000);

  it("exits 1 with a BMC trace at the checker's depth and writes it as ITF", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-prove-model-"));
    const itf = join(dir, "cex.itf.json");
    const r = warden(["prove", "--model", "DieHard", "--bmc", "6", "--itf", itf, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { bmc: { violations: { name: string; depth: number }[] } };
    expect(out.bmc.violations).toEqual([expect.objectContaining({ name: "NotSolved", depth: 6 })]);
    const trace = JSON.parse(readFileSync(itf, "utf8")) as { states: unknown[] };
    expect(trace.states).toHaveLength(7);
  }, 120_000);

  it("exits 1 with a counterexample to induction for TwoPhase's Consistent", () => {
    const r = warden(["prove", "--model", "TwoPhase", "--param", "rms=2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[not inductive\] Consistent: counterexample to induction/);
    expect(r.stdout).toMatch(/\(any state\)/);
  }, 120_000);

  it("instantiates the ownership model from a configuration set, where the lemmas make every invariant inductive", () => {
    const r = warden(["prove", "--model", "ResourceOwnership", "--config", "examples/x86/system.yaml", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { predicates: { name: string; status: string; lemmas: string[] }[] };
    const sharing = out.predicates.find((p) => p.name === "NoUndeclaredSharing");
    expect(sharing).toMatchObject({ status: "inductiveWithLemmas", lemmas: ["HeldOnlyAsConfigured"] });
    expect(out.predicates.every((p) => p.status !== "notInductive")).toBe(true);
  }, 120_000);

  it("uses a native solver named by WARDEN_Z3, and exits 3 with one line when it cannot be run", () => {
    const missing = warden(["prove", "--model", "DieHard"], { WARDEN_Z3: "/nonexistent/z3" });
    expect([missing.code, isOneLineError(missing)]).toEqual([3, true]);
    expect(missing.stderr).toContain("WRD501");
    const z3 = spawnSync("z3", ["-version"]).status === 0;
    if (!z3) return;
    const r = warden(["prove", "--model", "DieHard", "--bmc", "6", "--json"], { WARDEN_Z3: "z3" });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { bmc: { violations: { name: string; depth: number }[] } };
    expect(out.bmc.violations).toEqual([expect.objectContaining({ name: "NotSolved", depth: 6 })]);
  }, 120_000);

  it("exits 2 with one line for an unknown model, a bad parameter and a bad --bmc", () => {
    for (const args of [
      ["prove", "--model", "Nope"],
      ["prove", "--model", "DieHard", "--param", "small=0"],
      ["prove", "--model", "DieHard", "--bmc", "-1"],
      ["prove", "--model", "DieHard", "examples/x86/system.yaml"],
    ]) {
      const r = warden(args);
      expect([args.join(" "), r.code, isOneLineError(r)]).toEqual([args.join(" "), 2, true]);
    }
  }, 120_000);
});
