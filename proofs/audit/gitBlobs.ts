/**
 * Reads files of a git revision straight from the object store (`git ls-tree -r`, then one
 * `git cat-file --batch` for all wanted blobs), so history is audited without any checkout.
 */
import { spawnSync } from "node:child_process";
import { inputError } from "../diagnostics/InputError.js";

/** One blob of a tree listing: its object id and path relative to the listed directory. */
export interface TreeEntry {
  readonly oid: string;
  readonly path: string;
}

/** Runs git in `cwd`; a failure is bad input (exit 2), a missing git an absent tool (exit 3). */
export function git(cwd: string, args: readonly string[], input?: string): Buffer {
  const r = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error !== undefined) throw inputError("WRD501", `cannot run git: ${r.error.message}`, { file: cwd });
  if (r.status !== 0) {
    const why = r.stderr.toString("utf8").trim().split("\n")[0] ?? "";
    throw inputError("WRD130", `git ${args[0] ?? ""} failed: ${why}`, { file: cwd });
  }
  return r.stdout;
}

/** The regular files (not symlinks or submodules) of `rev` under `prefix` (repository-relative, ending in `/` or empty). */
export function listTree(top: string, rev: string, prefix: string): TreeEntry[] {
  const out = git(top, ["ls-tree", "-r", "-z", rev, "--", prefix === "" ? "." : prefix]).toString("utf8");
  const entries: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (type !== "blob" || mode === "120000" || oid === undefined) continue;
    entries.push({ oid, path: record.slice(tab + 1).slice(prefix.length) });
  }
  return entries;
}

/** The contents of `oids`, read with one `git cat-file --batch`. */
export function readBlobs(top: string, oids: readonly string[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  if (oids.length === 0) return blobs;
  const out = git(top, ["cat-file", "--batch"], `${oids.join("\n")}\n`);
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(10, at);
    const [oid, type, size] = out.subarray(at, eol).toString("latin1").split(" ");
    if (type === "missing" || oid === undefined) {
      at = eol + 1;
      continue;
    }
    const length = Number(size);
    blobs.set(oid, out.subarray(eol + 1, eol + 1 + length));
    at = eol + 1 + length + 1;
  }
  return blobs;
}
