import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { overlappingExampleYaml } from "../builders/overlappingExample.js";
import { isOneLineError, root, warden } from "./run.js";

const tmp = () => mkdtempSync(join(tmpdir(), "warden-e2e-"));
const exampleYaml = join(root, "examples/x86/system.yaml");

describe("warden --help", () => {
  it("lists the commands", () => {
    const r = warden(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["verify", "config", "check", "tla", "tlc"]) expect(r.stdout).toContain(c);
  });

  it("rejects an unknown command with exit 2 and one line", () => {
    const r = warden(["frobnicate"]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
  });
});

describe("warden verify", () => {
  // One evidence cache for this file's runs: the first runs the planted mutants and the coverage
  // run (configuration-independent evidence), the next reuse them.
  const out = tmp();

  it("exits 1 when a stage fails: an overlapping configuration fails the isolation proofs", {
    timeout: 600_000,
  }, () => {
    const dir = tmp();
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, overlappingExampleYaml());
    const r = warden(["verify", "--out", out, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[FAILED\] isolation proofs \(Z3\): .*WRD-MEM-DISJOINT/);
  });

  it("prints JSON with --json", () => {
    const r = warden(["verify", "--out", out, "--json", join(root, "examples/arm64/system.yaml")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, summary: { system: { arch: "arm64" } } });
  });

  it("exits 2 with one line naming the file for a missing file", () => {
    const r = warden(["verify", "/nonexistent/system.cell"]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(r.stderr).toContain("/nonexistent/system.cell");
  });

  it("exits 2 naming the byte offset for a corrupt binary", () => {
    const dir = tmp();
    const bad = join(dir, "bad.cell");
    const bytes = readFileSync(join(root, "examples/x86/qemu-x86.cell"));
    writeFileSync(bad, bytes.subarray(0, 200));
    const r = warden(["verify", bad]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(r.stderr).toMatch(/WRD104: .*bad\.cell: byte 0x/);
  });

  it("exits 2 naming the field path for a bad YAML field", () => {
    const dir = tmp();
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      readFileSync(exampleYaml, "utf8").replace(
        'size: "0x7f000", flags: [READ, WRITE, ROOTSHARED] }\n    pci',
        'size: "huge", flags: [READ] }\n    pci',
      ),
    );
    const r = warden(["verify", bad]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(r.stderr).toContain("cells[1].memory_regions[6].size");
  });
});

describe("warden config", () => {
  it("shows a summary with the memory map and vote settings", () => {
    const r = warden(["config", "show", exampleYaml]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Memory map/);
    expect(r.stdout).toMatch(/reply timeout 100000 polls/);
  });

  it("converts YAML to binary to YAML with a stable result", () => {
    const dir = tmp();
    expect(warden(["config", "convert", exampleYaml, join(dir, "cells")]).code).toBe(0);
    const cell = join(dir, "cells", "rt-bare-metal.cell");
    expect(warden(["config", "convert", cell, join(dir, "rt.yaml")]).code).toBe(0);
    expect(warden(["config", "convert", join(dir, "rt.yaml"), join(dir, "rt2.cell")]).code).toBe(0);
    expect(readFileSync(join(dir, "rt2.cell")).equals(readFileSync(cell))).toBe(true);
  });

  it("refuses to overwrite its input", () => {
    const dir = tmp();
    const input = join(dir, "in.yaml");
    writeFileSync(input, readFileSync(exampleYaml));
    const r = warden(["config", "convert", input, input]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(readFileSync(input, "utf8")).toBe(readFileSync(exampleYaml, "utf8"));
  });

  it("rejects an unknown extension with exit 2", () => {
    const r = warden(["config", "convert", exampleYaml, join(tmp(), "out.txt")]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
  });
});

describe("warden check", () => {
  it("exits 0 for a model that holds and 1 with a counterexample for one that fails", () => {
    expect(warden(["check", "TwoPhase"]).code).toBe(0);
    const dir = tmp();
    const r = warden(["check", "DieHard", "--itf", join(dir, "cex.itf.json")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("sequenceDiagram");
    expect(JSON.parse(readFileSync(join(dir, "cex.itf.json"), "utf8")).states).toHaveLength(7);
  });

  it("exits 2 for a bad parameter", () => {
    const r = warden(["check", "TwoPhase", "--param", "rms=zero"]);
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
  });

  it("exits 3 from warden tlc when no TLC jar is configured", () => {
    const r = warden(["tlc", "DieHard"], { WARDEN_TLA2TOOLS: "" });
    expect([r.code, isOneLineError(r)]).toEqual([3, true]);
  });
});
