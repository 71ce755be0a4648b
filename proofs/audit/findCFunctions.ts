/**
 * Finds C function definitions with a brace-depth scan (no parser): a `{` at file scope whose
 * header, since the previous `;`, `{` or `}`, reads `name(...)` without an `=` is a function body
 * running to its matching `}`. Braces of `extern "C"` blocks are transparent. Good enough to rank
 * function sizes; macros that expand to definitions are missed.
 */
import { maskC, regionEnd } from "./maskC.js";

/** A function's name, first and last line (1-based), and the text of its definition. */
export interface FunctionSpan {
  readonly name: string;
  readonly line: number;
  readonly endLine: number;
  readonly start: number;
  readonly end: number;
}

const notFunctions = new Set(["if", "while", "for", "switch", "return", "sizeof", "do", "else"]);

/** The function definitions of C source `text`, in order. */
export function findCFunctions(text: string): FunctionSpan[] {
  const tokens = /[{};"'/#]/g;
  const spans: FunctionSpan[] = [];
  const lineOf = lineCounter(text);
  let headerFrom = 0;
  let depth = 0;
  let open: { name: string | undefined; start: number } | undefined;
  for (let m = tokens.exec(text); m !== null; m = tokens.exec(text)) {
    const i = m.index;
    const c = text[i];
    if (c !== "{" && c !== "}" && c !== ";") {
      const end = regionEnd(text, i);
      if (end > i) tokens.lastIndex = end;
    } else if (depth > 0) {
      if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        if (open?.name !== undefined)
          spans.push({ name: open.name, line: lineOf(open.start), endLine: lineOf(i), start: open.start, end: i + 1 });
        headerFrom = i + 1;
      }
    } else if (c === "{") {
      // Comments and literals are blanked in the (short) header only.
      const header = maskC(text.slice(headerFrom, i));
      if (!/\bextern\s*$/.test(header)) {
        open = { name: functionName(header), start: headerFrom + (header.length - header.trimStart().length) };
        depth = 1;
      }
      headerFrom = i + 1;
    } else headerFrom = i + 1;
  }
  return spans;
}

function functionName(header: string): string | undefined {
  const h = header.replace(/__attribute__\s*\(\(.*?\)\)/gs, " ").trim();
  if (!h.endsWith(")") && !/\)\s*(?:const|__\w+(?:\(\(.*\)\))?)\s*$/.test(h)) return undefined;
  const m = /([A-Za-z_]\w*)\s*\(/.exec(h);
  if (m === null || notFunctions.has(m[1] ?? "")) return undefined;
  if (h.slice(0, m.index).includes("=")) return undefined;
  return m[1];
}

/** 1-based line numbers of offsets, for offsets asked in increasing order (one pass per file). */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (let nl = text.indexOf("\n", at); nl >= 0 && nl < offset; nl = text.indexOf("\n", nl + 1)) {
      line++;
      at = nl + 1;
    }
    return line;
  };
}
