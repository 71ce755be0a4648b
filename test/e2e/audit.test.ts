import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

const tmp = () => mkdtempSync(join(tmpdir(), "audit-e2e-"));

describe("warden audit", () => {
  it("prints one JSON record per file", () => {
    const r = warden(["audit", "test/fixtures/audit", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { file: string; language: string }[] };
    expect(out.files).toContainEqual(expect.objectContaining({ file: "strings.c", language: "C" }));
  });
  it("meets Warden's own hypervisor budget and names each target's largest directory", () => {
    const r = warden(["audit", "hypervisor", "--budget", "hypervisor/budget.yaml"]);
    expect(r.stdout).toMatch(/core\+x86: \d+ \/ 10000/);
    expect(r.stdout).toMatch(/^ {2}core: \d+ \(\d+\.\d%\)$/m);
    expect(r.code).toBe(0);
  });
  it("exits 1 on an overrun and writes the Markdown report and the SVG chart", () => {
    const dir = tmp();
    const budget = join(dir, "b.yaml");
    writeFileSync(budget, "targets:\n  tiny:\n    include: ['**']\n    limit: 1\n");
    const md = join(dir, "out/report.md");
    const svg = join(dir, "out/chart.svg");
    const r = warden(["audit", "test/fixtures/audit", "--budget", budget, "--md", md, "--svg", svg]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\[overrun\] tiny: \d+ code lines > limit 1$/m);
    expect(readFileSync(md, "utf8")).toMatch(/^## Target `tiny`: \d+ \/ 1 code lines, \*\*1 overrun/m);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
  });
  it("reports TypeScript depth and dead code for a package root", () => {
    const dir = tmp();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p", main: "main.js" }));
    writeFileSync(join(dir, "main.ts"), 'import { a } from "./a.js";\nconsole.log(a);\n');
    writeFileSync(join(dir, "a.ts"), "export const a = 1;\nexport const b = 2;\n");
    writeFileSync(join(dir, "old.ts"), "export const c = 3;\n");
    const r = warden(["audit", dir, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { typescript: { deadFiles: { file: string }[]; removable: number } };
    expect(out.typescript.deadFiles.map((f) => f.file)).toEqual(["old.ts"]);
    expect(out.typescript.removable).toBe(2);
  });
  it("tabulates code lines per tag from git objects and charts them", () => {
    const dir = tmp();
    const env = {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@x",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@x",
      GIT_CONFIG_GLOBAL: "/dev/null",
    };
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: { ...process.env, ...env } });
    git("init", "-q", "-b", "main");
    for (const [i, text] of ["int a;\n", "int a;\nint b;\n"].entries()) {
      writeFileSync(join(dir, "x.c"), text);
      git("add", "-A");
      git("commit", "-q", "-m", `c${i}`);
      git("tag", `t${i}`);
    }
    const svg = join(dir, "h.svg");
    const r = warden(["audit", dir, "--history", "tags", "--svg", svg]);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .split("\n")
        .slice(1, 3)
        .map((l) => l.split(/\s+/)[3]),
    ).toEqual(["1", "2"]);
    expect(existsSync(svg)).toBe(true);
  });
  it("exits 2 with one line for a missing budget file or an unknown revision", () => {
    for (const args of [
      ["audit", "hypervisor", "--budget", "nope.yaml"],
      ["audit", "hypervisor", "--history", "no-such-rev..HEAD"],
    ]) {
      const r = warden(args);
      expect(r.code).toBe(2);
      expect(isOneLineError(r)).toBe(true);
    }
  });
});
