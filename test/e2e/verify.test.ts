import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { junitErrors } from "../generators/junit/junitSchema.js";
import { warden } from "./run.js";

const upstream = process.env.WARDEN_UPSTREAM_SRC;

describe("warden verify", () => {
  // The default output directory is reports/dossier under the working directory.
  const cwd = mkdtempSync(join(tmpdir(), "warden-verify-"));
  const out = join(cwd, "reports", "dossier");

  it("runs the whole pipeline with progress on stderr, prints a one-screen summary, reuses fresh evidence the second time, and runs as the README's first command", {
    timeout: 600_000,
  }, async () => {
    const first = warden(["verify", "--out", out]);
    expect(first.code, first.stdout + first.stderr.slice(-2000)).toBe(0);
    const progress = first.stderr.split("\n").filter((l) => l.startsWith("[verify] "));
    const jobs = progress.filter((l) => /^\[verify\] +\d+\/\d+ /.test(l));
    const total = Number(jobs[0]?.match(/\/(\d+) /)?.[1]);
    expect(jobs).toHaveLength(total);
    jobs.forEach((l, i) => {
      expect(l).toMatch(
        new RegExp(`^\\[verify\\] +${i + 1}/${total} [^:]+: \\S+ (running|not run) \\(\\d+\\.\\d s elapsed\\)$`),
      );
    });
    expect(first.stdout.trimEnd().split("\n").length).toBeLessThanOrEqual(24);
    expect(first.stdout).toMatch(/^\[ok\] planted-mutant detection: \d+ of \d+ planted bugs caught/m);
    expect(first.stdout).toMatch(/^\[ok\] test coverage of hypervisor\/: lines \d/m);
    if (!upstream)
      expect(first.stdout).toMatch(
        /^\[missing\] agreement with upstream Jailhouse's C core: diff-core:upstream (not run: )?no upstream Jailhouse tree/m,
      );
    expect(first.stdout).toMatch(
      // Without an upstream tree the agreement with upstream Jailhouse is missing, so the dossier is not verified.
      new RegExp(
        `verify passed in [\\d.]+ s .*dossier ${upstream ? "" : "not "}verified: ${join(out, "dossier.html")}\\n$`,
      ),
    );

    const second = warden(["verify", "--out", out, "--json", "--junit", join(cwd, "verify.xml")]);
    expect(second.code).toBe(0);
    const junit = readFileSync(join(cwd, "verify.xml"), "utf8");
    expect(await junitErrors(junit)).toEqual([]);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(JSON.parse(second.stdout).stages.length);
    const result = JSON.parse(second.stdout);
    expect(result.freshness.new).toBe(0);
    expect(result.freshness.reused).toBeGreaterThan(40);
    expect(result.stages.find((s: { stage: string }) => s.stage === "planted-mutant detection").detail).toMatch(
      /\[reused, fresh\]$/,
    );
    expect(second.stderr).toMatch(
      /\[verify\] +\d+\/\d+ test coverage of hypervisor\/: hypervisor reused, fresh \(produced /,
    );
    const cache = JSON.parse(readFileSync(join(out, "evidence-cache.json"), "utf8"));
    expect(cache.format).toBe("warden-evidence-cache/1");

    // dossier --cached after verify: the same budget, so the same evidence, the same verdict, no weaker overwrite.
    const cached = warden(["dossier", "--out", out, "--cached"]);
    expect(cached.code, cached.stderr.slice(-2000)).toBe(0);
    expect(cached.stdout).toMatch(upstream ? /^verified: / : /^not verified: /);
    expect(cached.stderr).not.toMatch(/replaces a stronger one/);
    const dossier = JSON.parse(readFileSync(join(out, "dossier.json"), "utf8"));
    expect(dossier.control.revision).toBe(3);
    const conform = dossier.evidence.filter((e: { id: string }) => e.id.startsWith("conform:"));
    expect(conform.length).toBeGreaterThan(0);
    for (const e of conform) expect(e.freshness, e.id).toBe("reused");
    expect(JSON.stringify(dossier)).not.toContain(cwd);

    // The README's first command, with no arguments: the built-in example, into reports/dossier.
    const readme = warden(["verify"], {}, cwd);
    expect(readme.code, readme.stderr.slice(-2000)).toBe(0);
    expect(readme.stdout).toContain("rt-bare-metal");
    expect(readme.stdout).toMatch(
      new RegExp(
        `verify passed in [\\d.]+ s .*dossier ${upstream ? "" : "not "}verified: \\S*reports/dossier/dossier.html\\n$`,
      ),
    );
  });
});
