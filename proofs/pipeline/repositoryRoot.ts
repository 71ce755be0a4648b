import { spawnSync } from "node:child_process";

/** The git work tree around `cwd` (SARIF paths are relative to it), else `cwd` itself. */
export function repositoryRoot(cwd = process.cwd()): string {
  const git = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" });
  return git.status === 0 && git.stdout.trim() !== "" ? git.stdout.trim() : cwd;
}
