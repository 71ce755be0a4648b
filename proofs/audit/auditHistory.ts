/**
 * `--history`: the audit's counts per target (or per language without a budget) at each revision of
 * a range, read from git objects. Blobs are counted once however many revisions share them.
 */
import { realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import type { FileCount } from "./auditTree.js";
import { countFile } from "./auditTree.js";
import { type Budget, checkBudget } from "./checkBudget.js";
import type { LineCounts } from "./countLines.js";
import { git, listTree, readBlobs } from "./gitBlobs.js";
import { languageOf } from "./languageOf.js";

/** One revision's totals: per target (or language) code lines, and all code lines. */
export interface HistoryPoint {
  readonly rev: string;
  readonly commit: string;
  readonly date: string;
  readonly files: number;
  readonly code: number;
  readonly series: Readonly<Record<string, number>>;
}

/** At most this many revisions are audited; longer ranges are sampled evenly, ends kept. */
export const maxRevisions = 100;

/**
 * The revisions `range` names, oldest first: `A..B` (commits, first parent), `tags` or `tags:GLOB`
 * (tags by date), or a comma-separated list.
 */
export function historyRevisions(top: string, range: string): string[] {
  let revs: string[];
  if (range === "tags" || range.startsWith("tags:")) {
    const args = ["tag", "--list", "--sort=creatordate"];
    if (range.startsWith("tags:")) args.push(range.slice(5));
    revs = lines(git(top, args));
  } else if (range.includes("..")) revs = lines(git(top, ["rev-list", "--reverse", "--first-parent", range]));
  else revs = range.split(",").filter((r) => r !== "");
  if (revs.length <= maxRevisions) return revs;
  return Array.from(
    { length: maxRevisions },
    (_, i) => revs[Math.round((i * (revs.length - 1)) / (maxRevisions - 1))] as string,
  );
}

/** Audits the tree at `dir` (inside a git work tree) at every revision of `range`. */
export function auditHistory(dir: string, range: string, budget?: Budget): HistoryPoint[] {
  const top = git(dir, ["rev-parse", "--show-toplevel"]).toString("utf8").trim();
  const rel = relative(realpathSync(top), realpathSync(dir)).split(sep).join("/");
  const prefix = rel === "" ? "" : `${rel}/`;
  const counted = new Map<string, { language: FileCount["language"]; counts: LineCounts } | undefined>();
  return historyRevisions(top, range).map((rev) => {
    const [commit = "", date = ""] = git(top, ["log", "-1", "--format=%H %cs", rev, "--"])
      .toString("utf8")
      .trim()
      .split(" ");
    const entries = listTree(top, commit, prefix).filter(
      (e) => languageOf(e.path) !== undefined && !e.path.split("/").some((s) => skipped.has(s)),
    );
    const pathOf = new Map(entries.filter((e) => !counted.has(e.oid)).map((e) => [e.oid, e.path]));
    const blobs = readBlobs(top, [...pathOf.keys()]);
    for (const [oid, path] of pathOf) {
      const bytes = blobs.get(oid);
      counted.set(oid, bytes ? countFile(path, bytes) : undefined);
    }
    const files: FileCount[] = [];
    for (const e of entries) {
      const c = counted.get(e.oid);
      if (c !== undefined) files.push({ file: e.path, language: c.language, ...c.counts });
    }
    return {
      rev,
      commit,
      date,
      files: files.length,
      code: files.reduce((s, f) => s + f.code, 0),
      series: series(files, budget),
    };
  });
}

const skipped = new Set([".svn", ".cvs", ".hg", ".git", ".bzr", ".snapshot", ".config", "node_modules"]);

function series(files: readonly FileCount[], budget: Budget | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (budget !== undefined) for (const t of checkBudget(budget, files)) out[t.target] = t.code;
  else for (const f of files) out[f.language] = (out[f.language] ?? 0) + f.code;
  return out;
}

function lines(b: Buffer): string[] {
  return b
    .toString("utf8")
    .split("\n")
    .filter((l) => l !== "");
}
