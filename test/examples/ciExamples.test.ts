/**
 * The CI examples in examples/ci/ work: their shell steps are taken from the YAML and run with
 * bash against this checkout (`npx warden` resolves to the built CLI), on a configuration set
 * with a C cell. Install steps (apt-get, npm ci) are what this checkout already did and are not
 * run. `warden verify` runs the whole pipeline for minutes, so its step runs only with
 * WARDEN_CI_EXAMPLES=full; the suite runs every other step and checks what they write.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { root } from "../e2e/run.js";
import { junitErrors } from "../generators/junit/junitSchema.js";
import { sarifErrors } from "../generators/sarif/sarifSchema.js";
import { fixtureCell, hasGcc, miniTree } from "../proofs/csource/cFixture.js";

const full = process.env.WARDEN_CI_EXAMPLES === "full";
const isInstall = (script: string) => /apt-get|npm ci/.test(script);
const isVerify = (script: string) => /warden verify/.test(script);

/** A stand-in for the user's repository: `npx warden` finds this checkout's CLI in node_modules/.bin. */
function userRepo(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "warden-ci-"));
  mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
  const bin = join(dir, "node_modules/.bin/warden");
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${root}dist/cli/main.js" "$@"\n`);
  chmodSync(bin, 0o755);
  writeFileSync(join(dir, "package.json"), '{ "name": "configs", "private": true }\n');
  return {
    dir,
    env: {
      WARDEN_CONFIGS: `${root}examples/x86/qemu-x86.cell ${fixtureCell}`,
      WARDEN_JAILHOUSE_SRC: miniTree,
      WARDEN_CACHE_DIR: join(dir, ".cache"),
      GITHUB_OUTPUT: join(dir, "github-output"),
      NODE_OPTIONS: "",
    },
  };
}

function run(script: string, dir: string, env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

async function checkOutputs(dir: string): Promise<void> {
  const sarif = JSON.parse(readFileSync(join(dir, "warden.sarif"), "utf8"));
  expect(sarifErrors(sarif)).toEqual([]);
  expect(await junitErrors(readFileSync(join(dir, "warden-prove.xml"), "utf8"))).toEqual([]);
  if (full) {
    expect(await junitErrors(readFileSync(join(dir, "warden-verify.xml"), "utf8"))).toEqual([]);
    expect(existsSync(join(dir, "warden-dossier/dossier.html"))).toBe(true);
  }
}

describe.skipIf(!hasGcc)("examples/ci", () => {
  it("GitHub Actions workflow: its run steps prove, verify and pass on a set that holds", {
    timeout: 900_000,
  }, async () => {
    const workflow = parse(readFileSync(join(root, "examples/ci/github-actions.yml"), "utf8"));
    const steps = workflow.jobs.verify.steps as { id?: string; run?: string; env?: Record<string, string> }[];
    const { dir, env } = userRepo();
    const ran: string[] = [];
    for (const step of steps) {
      if (!step.run || isInstall(step.run) || (isVerify(step.run) && !full)) continue;
      const outputs = existsSync(env.GITHUB_OUTPUT ?? "") ? readFileSync(env.GITHUB_OUTPUT ?? "", "utf8") : "";
      const status = (id: string) =>
        id === "verify" && !full ? "0" : (/status=(\d+)/.exec(outputs.split(`\n`).join(" "))?.[1] ?? "");
      const stepEnv = step.env ? { PROVE: status("prove"), VERIFY: status("verify") } : {};
      const r = run(step.run, dir, { ...env, ...stepEnv });
      expect([step.run.split("\n")[0], r.code], r.out.slice(-2000)).toEqual([step.run.split("\n")[0], 0]);
      ran.push(step.run.split("\n")[0] ?? "");
    }
    expect(ran.length).toBe(full ? 3 : 2);
    await checkOutputs(dir);
  });

  it("GitLab CI job: its script lines prove, verify and pass on a set that holds", { timeout: 900_000 }, async () => {
    const job = parse(readFileSync(join(root, "examples/ci/gitlab-ci.yml"), "utf8")).warden;
    const lines = [...job.before_script, ...job.script] as string[];
    const { dir, env } = userRepo();
    // GitLab runs the lines as one shell script; a skipped verify leaves its status at 0.
    const script = lines.filter((l) => !isInstall(l) && (full || !isVerify(l))).join("\n");
    const r = run(full ? script : `verify=0\n${script}`, dir, env);
    expect(r.code, r.out.slice(-2000)).toBe(0);
    expect(r.out).toMatch(/prove exited 0, verify exited 0/);
    expect(job.artifacts.reports.junit).toEqual(["warden-prove.xml", "warden-verify.xml"]);
    await checkOutputs(dir);
  });

  it("GitHub Actions workflow: the last step fails the job when prove has findings", () => {
    const workflow = parse(readFileSync(join(root, "examples/ci/github-actions.yml"), "utf8"));
    const last = (workflow.jobs.verify.steps as { run?: string }[]).at(-1)?.run ?? "";
    const { dir, env } = userRepo();
    expect(run(last, dir, { ...env, PROVE: "1", VERIFY: "0" }).code).not.toBe(0);
    expect(run(last, dir, { ...env, PROVE: "0", VERIFY: "0" }).code).toBe(0);
  });
});

describe("README", () => {
  it("shows the two CI files as they are in examples/ci/", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.split("## Using Warden in CI")[1]?.split("\n## ")[0] ?? "";
    for (const file of ["github-actions.yml", "gitlab-ci.yml"]) {
      expect(section).toContain(`\`\`\`yaml\n${readFileSync(join(root, "examples/ci", file), "utf8")}\`\`\``);
    }
  });
});
