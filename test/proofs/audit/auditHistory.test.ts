import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditHistory, auditTree, InputError, loadBudget } from "../../../proofs/index.js";

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, stdio: "pipe" });

/** A repository whose `src/` grows over three tagged commits; the last state stays checked out. */
function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "audit-history-"));
  git(root, "init", "-q", "-b", "main");
  mkdirSync(join(root, "src/arch"), { recursive: true });
  const steps: Record<string, string>[] = [
    { "src/core.c": "int a;\n/* c */\n" },
    { "src/arch/x.S": "# c\nmov r0, r1\n", "src/core.c": "int a;\nint b;\n/* c */\n" },
    { "src/core.h": "\r\n#define X 1\r\n", README: "not counted\n" },
  ];
  steps.forEach((files, i) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", `step ${i}`);
    git(root, "tag", `v${i}`);
  });
  return root;
}

describe("auditHistory", () => {
  const root = repo();
  const budgetFile = join(root, "..", `${root.split("/").at(-1)}-budget.yaml`);
  writeFileSync(budgetFile, "targets:\n  core:\n    include: ['*.c', '*.h']\n    limit: 100\n");

  it("counts each tag from git objects, per language without a budget", () => {
    const points = auditHistory(join(root, "src"), "tags");
    expect(points.map((p) => [p.rev, p.files, p.code, p.series])).toEqual([
      ["v0", 1, 1, { C: 1 }],
      ["v1", 2, 3, { C: 2, Assembly: 1 }],
      ["v2", 3, 4, { C: 2, Assembly: 1, "C/C++ Header": 1 }],
    ]);
  });
  it("gives the checked-out revision the same counts as the work tree", () => {
    const [head] = auditHistory(join(root, "src"), "v2");
    const tree = auditTree(join(root, "src"));
    expect(head?.code).toBe(tree.reduce((s, f) => s + f.code, 0));
    expect(head?.files).toBe(tree.length);
  });
  it("follows a commit range and reports per budget target", () => {
    const points = auditHistory(join(root, "src"), "v0..v2", loadBudget(budgetFile));
    expect(points.map((p) => p.series)).toEqual([{ core: 2 }, { core: 3 }]);
  });
  it("refuses an unknown revision with a one-line input error", () => {
    expect(() => auditHistory(root, "nope..v2")).toThrow(InputError);
  });
  it("refuses a directory outside any git work tree", () => {
    const bare = mkdtempSync(join(tmpdir(), "audit-nogit-"));
    try {
      expect(() => auditHistory(bare, "tags")).toThrow(InputError);
    } finally {
      rmSync(bare, { recursive: true });
    }
  });
});
