/**
 * Counts code, comment and blank lines exactly as cloc 1.96 does (Debian's `cloc`), by running the
 * same pipeline of line filters rather than a parser, because cloc's quirks are the reference:
 * - blank = whitespace only, unless the line before ends with `\` (a continuation keeps it);
 * - comment = a non-blank line that the language's comment filters remove or empty;
 * - code = whatever is left, so a line holding code and a comment is code.
 * cloc does not look at string literals by default, so `"/*"` opens a comment for it as well; and
 * a block comment that starts after code and ends before code merges those two lines into one, so
 * one of them counts as comment. `clocFilters.ts` holds the filters.
 */
import { type Filter, filtersOf } from "./clocFilters.js";
import { dropBlank } from "./clocLines.js";
import { splitLines } from "./splitLines.js";

/** The languages Warden audits, named as cloc names them ("Linker Script" is Warden's addition). */
export type Language = "C" | "C/C++ Header" | "Assembly" | "make" | "TypeScript" | "Linker Script";

/** Line counts of one file. */
export interface LineCounts {
  readonly code: number;
  readonly comment: number;
  readonly blank: number;
}

/** Counts `text` (read as latin1, one char per byte, like cloc's byte strings) in `language`'s syntax. */
export function countLines(text: string, language: Language): LineCounts {
  const lines = splitLines(text);
  // cloc 1.96 has no linker-script language; Warden's mirrors a user definition, which has no
  // `\` continuation rule.
  const continuation = language !== "Linker Script";
  const nonBlank = dropBlank(lines, continuation);
  const blank = lines.length - nonBlank.length;
  const code = applyFilters(nonBlank, filtersOf(language), language === "make", continuation).length;
  return { code, comment: lines.length - blank - code, blank };
}

function applyFilters(
  lines: readonly string[],
  filters: readonly Filter[],
  script: boolean,
  continuation: boolean,
): string[] {
  if (lines.length === 0) return [];
  let out: string[] = [...lines];
  for (const filter of filters) out = dropBlank(filter(out), continuation);
  // cloc keeps a script's `#!` line as code even when a filter took it for a comment.
  const first = lines[0] ?? "";
  if (script && first.startsWith("#!") && (out.length === 0 || out[0] !== first)) out.unshift(first);
  return out;
}
