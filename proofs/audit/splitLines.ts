/** Splits file text into lines the way cloc reads them. */

/**
 * Byte-order marks cloc strips from the first line, tried by length (2, 3, then 4 bytes). cloc
 * formats bytes with `%x`, so its entries with a leading zero byte digit (`0e fe ff`, `00 00 fe ff`)
 * never match, and `ff fe 00 00` / `+/v8-` are shadowed by shorter marks: they are left out.
 */
const byteOrderMarks: readonly string[][] = [
  ["\xfe\xff", "\xff\xfe"],
  ["\xef\xbb\xbf", "\xf7\x64\x4c", "\xfb\xee\x28"],
  ["+/v8", "+/v9", "+/v+", "+/v/", "\xdd\x73\x66\x73", "\x84\x31\x95\x33"],
];

/**
 * The lines of `text` without their `\n`: a missing final newline changes nothing, one `\r` before
 * each `\n` is dropped (a lone `\r` is not a line break), and a leading byte-order mark is removed.
 */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines[0] = stripMark(lines[0] ?? "");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.endsWith("\r")) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** cloc compares the mark against the first line including its newline. */
function stripMark(first: string): string {
  const withNewline = `${first}\n`;
  for (const marks of byteOrderMarks) {
    const mark = marks.find((m) => withNewline.startsWith(m));
    if (mark !== undefined) return withNewline.slice(mark.length, -1);
  }
  return first;
}
