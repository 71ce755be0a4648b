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

/**
 * The 1-based numbers of the lines of `text` that hold code: not blank once every comment span
 * [start, end) is blanked (its newlines kept), cloc's rule for counting code lines.
 */
export function codeLineNumbers(text: string, comments: Iterable<readonly [number, number]>): number[] {
  const chars = text.split("");
  for (const [start, end] of comments) for (let i = start; i < end; i++) if (chars[i] !== "\n") chars[i] = " ";
  const out: number[] = [];
  chars
    .join("")
    .split("\n")
    .forEach((l, i) => {
      if (!isBlank(l)) out.push(i + 1);
    });
  return out;
}
