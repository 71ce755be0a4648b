/**
 * cloc's comment filters for the audited languages, in cloc's order. Each filter maps lines to
 * lines; the caller drops lines a filter left blank. `--strip-str-comments` is off by default in
 * cloc, so no filter looks at string literals.
 */

import { continues } from "./clocLines.js";
import type { Language } from "./countLines.js";
import { stripComments } from "./stripComments.js";

/** One cloc filter stage. */
export type Filter = (lines: readonly string[]) => string[];

/** Drops the lines matching `pattern` (cloc's `remove_matches`). */
const dropMatching =
  (pattern: RegExp): Filter =>
  (lines) =>
    lines.filter((l) => !pattern.test(l));

/**
 * cloc's `call_regexp_common C++`: join the lines, each followed by an extra newline unless it ends
 * with `\`, delete every `//…\n` and `/*…*\/` in one left-to-right pass, split again. The extra
 * newline stops a `//` comment from swallowing the next line; a block comment spanning lines glues
 * the text before it to the text after it.
 */
const cppComments: Filter = (lines) =>
  splitPerl(stripComments(lines.map((l) => (continues(l) ? `${l}\n` : `${l}\n\n`)).join(""), true));

/** `call_regexp_common C`: block comments only, lines joined as they are. */
const cComments: Filter = (lines) => splitPerl(stripComments(lines.map((l) => `${l}\n`).join(""), false));

/** Perl's `split("\n", …)`: trailing empty fields are dropped. */
function splitPerl(text: string): string[] {
  const parts = text.split("\n");
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return parts;
}

const ws = "[ \\t\\n\\v\\f\\r]*";
const byLanguage: Record<Language, readonly Filter[]> = {
  C: [cppComments],
  "C/C++ Header": [cppComments],
  TypeScript: [cppComments],
  "Linker Script": [cComments],
  make: [dropMatching(new RegExp(`^${ws}#`))],
  Assembly: [
    dropMatching(new RegExp(`^${ws}#`)),
    dropMatching(new RegExp(`^${ws};`)),
    cppComments,
    dropMatching(new RegExp(`^${ws}@`)),
    dropMatching(new RegExp(`^${ws}\\|`)),
    dropMatching(new RegExp(`^${ws}!`)),
    dropMatching(new RegExp(`^${ws}--`)),
    dropMatching(/^\*/),
  ],
};

/** The filter stages cloc applies to `language` (inline-comment filters are off by default). */
export function filtersOf(language: Language): readonly Filter[] {
  return byLanguage[language];
}
