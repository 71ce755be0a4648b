/** Walks a directory and counts every audited file in it, choosing files as cloc does. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { inputError } from "../diagnostics/InputError.js";
import { countLines, type Language, type LineCounts } from "./countLines.js";
import { isBinary } from "./isBinary.js";
import { isQtLinguist, languageOf } from "./languageOf.js";

/** One counted file, with a path relative to the audited root using `/`. */
export interface FileCount extends LineCounts {
  readonly file: string;
  readonly language: Language;
}

/** Directories cloc never enters, plus `node_modules` (Warden's choice: vendored code is not ours). */
const skippedDirs = new Set([".svn", ".cvs", ".hg", ".git", ".bzr", ".snapshot", ".config", "node_modules"]);

/** Counts every file under `root` whose language is audited, sorted by path. */
export function auditTree(root: string): FileCount[] {
  try {
    if (!statSync(root).isDirectory()) throw new Error("not a directory");
  } catch {
    throw inputError("WRD100", "cannot read the directory to audit", { file: root });
  }
  const out: FileCount[] = [];
  walk(root, root, out);
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Counts one file's bytes, or undefined when cloc would skip it (binary, empty, Qt Linguist). */
export function countFile(name: string, bytes: Uint8Array): { language: Language; counts: LineCounts } | undefined {
  const language = languageOf(name);
  if (language === undefined || isBinary(bytes)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (language === "TypeScript" && name.endsWith(".ts") && isQtLinguist(text)) return undefined;
  return { language, counts: countLines(text, language) };
}

function walk(root: string, dir: string, out: FileCount[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) walk(root, path, out);
    } else if (entry.isFile() || (entry.isSymbolicLink() && isFileTarget(path))) {
      if (languageOf(entry.name) === undefined) continue;
      const counted = countFile(entry.name, readFileSync(path));
      if (counted === undefined) continue;
      out.push({ file: relative(root, path).split(sep).join("/"), language: counted.language, ...counted.counts });
    }
  }
}

/** cloc counts symlinked files too; a dangling link is skipped. */
function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
