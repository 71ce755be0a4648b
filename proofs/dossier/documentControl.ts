/**
 * The dossier's document control: its revision, what produced it (Warden's version and commit,
 * the tools), from which inputs (the configuration's files and their repository's commit), and on
 * what machine. Paths are relative to the working directory or to the file's repository, never
 * absolute, so a dossier reads the same on the assessor's machine.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { packageRoot, version } from "../packageRoot.js";

export interface DocumentControl {
  /** 1 for the first dossier written to a directory, then one more for each rewrite. */
  readonly revision: number;
  readonly generated: string;
  readonly warden: string;
  /** The commit of Warden's own checkout, when it runs from one ("+dirty" with local changes). */
  readonly wardenCommit?: string;
  readonly configFiles: readonly string[];
  /** The commit of the repository holding the configuration, when it is in one. */
  readonly configCommit?: string;
  readonly tools: Readonly<Record<string, string>>;
  readonly environment: string;
}

function git(dir: string, ...args: string[]): string | undefined {
  const r = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8", timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** "abc1234" or "abc1234+dirty" for the checkout holding `dir`, when there is one. */
function commitOf(dir: string, paths: readonly string[] = []): string | undefined {
  const head = git(dir, "rev-parse", "--short=12", "HEAD");
  if (!head) return undefined;
  const dirty = git(dir, "status", "--porcelain", "--", ...paths);
  return dirty ? `${head}+dirty` : head;
}

/** A path a reader can follow: relative to the working directory, else to its repository, else its name. */
export function displayPath(file: string): string {
  const abs = resolve(file);
  const rel = relative(process.cwd(), abs);
  if (!rel.startsWith("..") && !isAbsolute(rel)) return rel || ".";
  const top = git(dirname(abs), "rev-parse", "--show-toplevel");
  return top ? join(basename(top), relative(top, abs)) : basename(abs);
}

const packageVersion = (name: string) => {
  try {
    return JSON.parse(readFileSync(join(packageRoot, "node_modules", name, "package.json"), "utf8")).version as string;
  } catch {
    return "not installed";
  }
};

export function documentControl(files: readonly string[], previousRevision: number | undefined): DocumentControl {
  const configCommit = files[0]
    ? commitOf(
        dirname(resolve(files[0])),
        files.map((f) => resolve(f)),
      )
    : undefined;
  const wardenCommit = commitOf(packageRoot);
  return {
    revision: (previousRevision ?? 0) + 1,
    generated: new Date().toISOString(),
    warden: version,
    ...(wardenCommit ? { wardenCommit } : {}),
    configFiles: files.map(displayPath),
    ...(configCommit ? { configCommit } : {}),
    tools: {
      node: process.version,
      "z3-solver": packageVersion("z3-solver"),
      ...(process.env.WARDEN_TLA2TOOLS ? { TLC: basename(process.env.WARDEN_TLA2TOOLS) } : {}),
      mermaid: packageVersion("mermaid"),
    },
    environment: `${process.platform} ${process.arch}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  };
}
