import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sarifErrors } from "../generators/sarif/sarifSchema.js";
import { fixtureCell, hasGcc, miniTree } from "../proofs/csource/cFixture.js";
import { isOneLineError, root, warden } from "./run.js";

const env = () => ({
  WARDEN_CACHE_DIR: mkdtempSync(join(tmpdir(), "warden-ccache-")),
  WARDEN_JAILHOUSE_SRC: undefined,
});
const lineOf = (file: string, line: number) => readFileSync(file, "utf8").split("\n")[line - 1]?.trim() ?? "";

describe.skipIf(!hasGcc)("C configurations on the command line", () => {
  it("proves a set with a C cell, naming the source line of the blamed region and of a warning, in text, JSON and SARIF", () => {
    const sarifFile = join(mkdtempSync(join(tmpdir(), "warden-c-")), "out.sarif");
    const r = warden(
      [
        "prove",
        "examples/x86/qemu-x86.cell",
        "examples/x86/rt-bare-metal.cell",
        fixtureCell,
        "--json",
        "--sarif",
        sarifFile,
      ],
      env(),
    );
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as {
      rule: string;
      witnesses: { message: string; second: { source?: { line: number; element: string } } }[];
    }[];
    const w = rows.find((x) => x.rule === "WRD-MEM-DISJOINT")?.witnesses[0];
    expect(w?.second.source?.element).toBe("config.mem_regions[1]");
    expect(lineOf(fixtureCell, w?.second.source?.line ?? 0)).toMatch(/^\{ 0x3f000000, 0x100000/);
    expect(w?.message).toMatch(new RegExp(`fixture-cell\\.c:${w?.second.source?.line} @ byte 0xac`));
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "WRD-MEM-DISJOINT");
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "test/fixtures/jailhouse-mini/configs/x86/fixture-cell.c", uriBaseId: "SRCROOT" },
      region: { startLine: w?.second.source?.line, startColumn: 3 },
    });
    const warning = /fixture-cell\.c:(\d+): byte 0x2c \(config\.cell\.flags\)/.exec(r.stderr);
    expect(lineOf(fixtureCell, Number(warning?.[1]))).toBe(".flags = 0x00100000,");
  });

  it("takes --jailhouse-src after the subcommand, and exits 3 naming what to set when there is no tree", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-c-"));
    const file = join(dir, "cell.c");
    writeFileSync(file, readFileSync(fixtureCell));
    const missing = warden(["config", "show", file], env());
    expect([missing.code, isOneLineError(missing)]).toEqual([3, true]);
    expect(missing.stderr).toMatch(/WRD502: .*cell\.c.*--jailhouse-src DIR or set WARDEN_JAILHOUSE_SRC/);
    const shown = warden(["config", "show", file, "--jailhouse-src", miniTree], env());
    expect([shown.code, shown.stdout]).toEqual([0, expect.stringMatching(/fixture-cell\s+non-root/)]);
  });

  it("exits 2 with the compiler's first error line for a configuration that does not compile", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-c-"));
    cpSync(miniTree, dir, { recursive: true });
    const broken = join(dir, "configs/x86/fixture-cell.c");
    writeFileSync(broken, readFileSync(broken, "utf8").replace(".num_pio_regions", ".num_pio_regionz"));
    const r = warden(["prove", join(root, "examples/x86/qemu-x86.cell"), broken], env());
    expect([r.code, isOneLineError(r)]).toEqual([2, true]);
    expect(r.stderr).toMatch(
      /WRD140: .*fixture-cell\.c: does not compile: .*fixture-cell\.c:\d+:\d+: error: .*num_pio_regionz/,
    );
  });
});
