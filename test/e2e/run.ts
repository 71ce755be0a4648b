/** Runs the built `warden` binary (dist/, built by globalSetup) and captures its result. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function warden(args: readonly string[], env: Record<string, string | undefined> = {}, cwd = root): Run {
  const r = spawnSync(process.execPath, [`${root}dist/cli/main.js`, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^npm warn.*\n/gm, "") };
}

/** A bad-input run prints exactly one line, without a stack trace. */
export function isOneLineError(r: Run): boolean {
  const lines = r.stderr.trim().split("\n");
  return lines.length === 1 && !/\n\s+at /.test(r.stderr) && /^warden: /.test(lines[0] ?? "");
}
