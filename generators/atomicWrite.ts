/**
 * The one place Warden writes files. Every output goes to a temporary file in the target's
 * directory and is renamed over the target, so a reader never sees a half-written file and an
 * interrupted run leaves the previous version intact.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * An output that cannot be written — a directory or file in the way, no permission, a full disk:
 * the user's environment, not a Warden defect (the CLI reports it as bad input).
 */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path} (${code})`);
    this.name = "OutputError";
  }
}

/** Writes `data` to `path` atomically, creating parent directories as needed. */
export function atomicWrite(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw asOutputError(path, error);
  }
  const tmp = join(dir, `.warden-tmp-${process.pid}-${Date.now()}-${basename(path)}`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw asOutputError(path, error);
  }
}

/** File-system refusals (they carry an errno code) become OutputErrors; anything else stays a defect. */
function asOutputError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? new OutputError(path, code) : error;
}
