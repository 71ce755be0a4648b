/** The functions of one audited file with their code lines: C by brace scan, TypeScript by syntax tree. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileCount } from "./auditTree.js";
import { countLines } from "./countLines.js";
import { findCFunctions } from "./findCFunctions.js";
import { parseTs, tsFunctions } from "./tsFunctions.js";

/** One function's place and size in code lines (cloc's rules applied to its text). */
export interface FunctionSize {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly code: number;
}

/** The functions of `f` (under `root`); [] for languages without functions (make, assembly, ld). */
export function functionsOf(root: string, f: FileCount): FunctionSize[] {
  if (f.language === "C" || f.language === "C/C++ Header") {
    const text = readFileSync(join(root, f.file), "latin1");
    return findCFunctions(text).map((s) => ({
      file: f.file,
      name: s.name,
      line: s.line,
      code: countLines(text.slice(s.start, s.end), f.language).code,
    }));
  }
  if (f.language === "TypeScript") {
    const text = readFileSync(join(root, f.file), "utf8");
    return tsFunctions(f.file, parseTs(f.file, text)).map(({ file, name, line, code }) => ({ file, name, line, code }));
  }
  return [];
}
