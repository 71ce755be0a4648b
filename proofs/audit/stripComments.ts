/**
 * Deletes every C comment from `text` in one left-to-right pass, as Perl's
 * `s/$RE{comment}{C++}//g` does: at each `/`, a `/*` is removed through the first `*\/` after it and
 * a `//` (when `lineComments`) through the next newline, included. An opener without its closer
 * removes nothing and the scan moves on one character, so a later comment still counts.
 */
export function stripComments(text: string, lineComments: boolean): string {
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  // Once no `*/` follows some position, no later `/*` can close: skip the search from then on.
  let noCloserAfter = Number.POSITIVE_INFINITY;
  for (;;) {
    const j = text.indexOf("/", i);
    if (j < 0 || j + 1 >= text.length) break;
    const next = text[j + 1];
    let end = -1;
    if (next === "*" && j + 2 < noCloserAfter) {
      const close = text.indexOf("*/", j + 2);
      if (close < 0) noCloserAfter = j + 2;
      else end = close + 2;
    } else if (next === "/" && lineComments) {
      const newline = text.indexOf("\n", j + 2);
      if (newline >= 0) end = newline + 1;
    }
    if (end < 0) {
      i = j + 1;
      continue;
    }
    parts.push(text.slice(from, j));
    from = i = end;
  }
  parts.push(text.slice(from));
  return parts.join("");
}
