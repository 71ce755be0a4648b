import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

const tmp = () => mkdtempSync(join(tmpdir(), "surface-e2e-"));

/** The x86 example with an IOAPIC planted in the "linux" cell (the set document, edited as text). */
function plantedSet(dir: string): string {
  const text = readFileSync("examples/x86/system.yaml", "utf8");
  const at = text.indexOf("  - name: linux\n");
  const planted = `${text.slice(0, at)}  - name: linux\n    irqchips:\n      - { address: "0xfec00000", id: "0xff00", pin_base: 0, pins: [4] }\n${text.slice(at + "  - name: linux\n".length)}`;
  const file = join(dir, "planted.yaml");
  writeFileSync(file, planted);
  return file;
}

describe("warden audit surface", () => {
  it("prints each cell's surface of the built-in example and meets the shipped budget", () => {
    const r = warden(["audit", "surface", "examples/x86/system.yaml", "--budget", "hypervisor/budget.yaml", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { surface: { cells: { cell: string; lines: number }[] } };
    expect(out.surface.cells.map((c) => c.cell)).toEqual(["qemu-x86", "rt-bare-metal", "linux"]);
  });

  it("exits 1 when a planted IOAPIC breaks the budget, writes SARIF, and --against shows what it adds", () => {
    const dir = tmp();
    const set = plantedSet(dir);
    const sarif = join(dir, "s.sarif");
    const md = join(dir, "s.md");
    const r = warden(["audit", "surface", set, "--budget", "hypervisor/budget.yaml", "--sarif", sarif, "--md", md]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/budget x86-linux OVERRUN: linux: reaches forbidden entry point "IOAPIC"/);
    const log = JSON.parse(readFileSync(sarif, "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toContain("surface/x86-linux");
    expect(readFileSync(md, "utf8")).toMatch(/^\| linux \| \d+ \| 6 \| \d+ \| \d+ \| [^|]*ioapic/m);
    const d = warden(["audit", "surface", set, "--against", "examples/x86/system.yaml"]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(
      /linux vs examples\/x86\/system\.yaml: \d+ → \d+ lines \(−[1-9]\d* \+0\); removes IOAPIC, IOAPIC redirection/,
    );
  });

  it("refuses an --upstream-src that is not a Jailhouse tree with one line and exit 2", () => {
    const r = warden(["audit", "surface", "examples/x86/system.yaml", "--upstream-src", tmp()]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(/not a Jailhouse tree/);
  });

  it("refuses a bad surface budget with one line and exit 2", () => {
    const dir = tmp();
    const budget = join(dir, "b.yaml");
    writeFileSync(budget, "targets: {}\nsurface:\n  t: { cell: linux, limit: -3 }\n");
    const r = warden(["audit", "surface", "examples/x86/system.yaml", "--budget", budget]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(/surface\.t\.limit/);
  });
});
