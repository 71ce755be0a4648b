/** Line predicates shared by cloc's filters: Perl's `\s` on byte strings, and `\` continuations. */

const blankLine = /^[ \t\n\v\f\r]*$/;

/** True when `line` holds only whitespace (Perl's byte-string `\s`: no NBSP). */
export function isBlank(line: string): boolean {
  return blankLine.test(line);
}

/** True when `line` ends with a backslash, continuing onto the next line. */
export function continues(line: string): boolean {
  return line.endsWith("\\");
}

/**
 * Drops whitespace-only lines, except (when `continuation`) one right after a line ending in `\`,
 * checked against the input including lines dropped themselves, as cloc does for languages with
 * `\` continuations.
 */
export function dropBlank(lines: readonly string[], continuation = true): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!isBlank(line) || (continuation && i > 0 && continues(lines[i - 1] ?? ""))) out.push(line);
  }
  return out;
}
