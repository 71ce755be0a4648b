/**
 * Blanks what a brace scan must not see in C: comments, string and character literals, and
 * preprocessor lines (with their `\` continuations). Every blanked character becomes a space and
 * newlines stay, so offsets and line numbers are unchanged. Jumps between the few characters that
 * can start such a region instead of visiting every character.
 */
export function maskC(text: string): string {
  const starts = /["'/#]/g;
  const parts: string[] = [];
  let from = 0;
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const i = m.index;
    const end = regionEnd(text, i);
    if (end <= i) continue;
    parts.push(text.slice(from, i), text.slice(i, end).replace(/[^\n]/g, " "));
    from = end;
    starts.lastIndex = end;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

/** The end of the comment, literal or directive starting at `i`, or `i` when none starts there. */
export function regionEnd(text: string, i: number): number {
  const c = text[i];
  if (c === "/") {
    const next = text[i + 1];
    if (next === "*") {
      const close = text.indexOf("*/", i + 2);
      return close < 0 ? text.length : close + 2;
    }
    if (next === "/") {
      const nl = text.indexOf("\n", i);
      return nl < 0 ? text.length : nl;
    }
    return i;
  }
  if (c === "#") return atLineStart(text, i) ? directiveEnd(text, i) : i;
  let j = i + 1;
  while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
  return Math.min(j + 1, text.length);
}

/** True when only blanks precede `i` on its line. */
function atLineStart(text: string, i: number): boolean {
  for (let k = i - 1; k >= 0 && text[k] !== "\n"; k--) if (text[k] !== " " && text[k] !== "\t") return false;
  return true;
}

/** The end of a preprocessor directive: the first newline not escaped by `\`. */
function directiveEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const nl = text.indexOf("\n", i);
    if (nl < 0) return text.length;
    const before = text[nl - 1] === "\r" ? nl - 2 : nl - 1;
    if (text[before] !== "\\") return nl;
    i = nl + 1;
  }
}
