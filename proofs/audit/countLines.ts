/**
 * Counts code, comment and blank lines the way cloc does: blank = whitespace only (also inside
 * comments), comment = only comment text, code = anything else, so a mixed line is code.
 * One single pass per file; string literals are skipped so comment markers inside them do not count.
 */
export type Language = "C" | "C/C++ Header" | "Assembly" | "make" | "TypeScript";

/** Line counts of one file. */
export interface LineCounts {
  readonly code: number;
  readonly comment: number;
  readonly blank: number;
}

/** Counts `text` in the syntax of `language`. */
export function countLines(text: string, language: Language): LineCounts {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return language === "make" ? countHash(lines) : countCStyle(lines, language !== "Assembly");
}

function countHash(lines: readonly string[]): LineCounts {
  let code = 0;
  let comment = 0;
  let blank = 0;
  for (const line of lines) {
    const t = line.trim();
    if (t === "") blank++;
    else if (t.startsWith("#")) comment++;
    else code++;
  }
  return { code, comment, blank };
}

function countCStyle(lines: readonly string[], strings: boolean): LineCounts {
  let code = 0;
  let comment = 0;
  let blank = 0;
  let inBlock = false;
  for (const line of lines) {
    if (line.trim() === "") {
      blank++;
      continue;
    }
    let hasCode = false;
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      if (inBlock) {
        const end = line.indexOf("*/", i);
        if (end < 0) break;
        inBlock = false;
        i = end + 2;
      } else if (c === "/" && line[i + 1] === "*") {
        inBlock = true;
        i += 2;
      } else if (c === "/" && line[i + 1] === "/") break;
      else if (strings && (c === '"' || c === "'" || c === "`")) {
        hasCode = true;
        i = skipString(line, i + 1, c);
      } else {
        if (c !== " " && c !== "\t") hasCode = true;
        i++;
      }
    }
    if (hasCode) code++;
    else comment++;
  }
  return { code, comment, blank };
}

function skipString(line: string, from: number, quote: string): number {
  let i = from;
  while (i < line.length && line[i] !== quote) i += line[i] === "\\" ? 2 : 1;
  return i + 1;
}
