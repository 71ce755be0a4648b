/** Walks a directory and counts every audited file in it. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { inputError } from "../diagnostics/InputError.js";
import { countLines, type Language, type LineCounts } from "./countLines.js";
import { languageOf } from "./languageOf.js";

/** One counted file, with a path relative to the audited root using `/`. */
export interface FileCount extends LineCounts {
  readonly file: string;
  readonly language: Language;
}

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

function walk(root: string, dir: string, out: FileCount[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== ".git") walk(root, path, out);
    } else if (entry.isFile() || (entry.isSymbolicLink() && isFileTarget(path))) {
      const language = languageOf(entry.name);
      if (language === undefined) continue;
      const counts = countLines(readFileSync(path, "latin1"), language);
      out.push({ file: relative(root, path).split(sep).join("/"), language, ...counts });
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
