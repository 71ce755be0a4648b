/**
 * Maps a file name to the language cloc 1.96 counts it as, or undefined when not audited. Extensions
 * are case-sensitive as in cloc (`.S` and `.s` are assembly, `.H` a header, `.C` C++ and not
 * audited); a name without extension is make when it is `makefile` or `gnumakefile` in any case.
 * `.ld`/`.lds` (linker scripts) are Warden's addition: cloc 1.96 has no such language.
 */
import { basename } from "node:path";
import type { Language } from "./countLines.js";

const byExtension: Readonly<Record<string, Language>> = {
  c: "C",
  cats: "C",
  ec: "C",
  idc: "C",
  pgc: "C",
  H: "C/C++ Header",
  h: "C/C++ Header",
  hh: "C/C++ Header",
  hpp: "C/C++ Header",
  hxx: "C/C++ Header",
  S: "Assembly",
  s: "Assembly",
  asm: "Assembly",
  a51: "Assembly",
  nasm: "Assembly",
  Gnumakefile: "make",
  Makefile: "make",
  am: "make",
  gnumakefile: "make",
  makefile: "make",
  mk: "make",
  ts: "TypeScript",
  tsx: "TypeScript",
  ld: "Linker Script",
  lds: "Linker Script",
};

/** The language of `file` by its name alone (see `isQtLinguist` for `.ts`). */
export function languageOf(file: string): Language | undefined {
  const name = basename(file);
  if (name.endsWith("~")) return undefined;
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot === name.length - 1) {
    const lower = name.toLowerCase();
    return dot < 0 && (lower === "makefile" || lower === "gnumakefile") ? "make" : undefined;
  }
  return Object.hasOwn(byExtension, name.slice(dot + 1)) ? byExtension[name.slice(dot + 1)] : undefined;
}

/**
 * cloc's tie-break for `.ts`: a Qt Linguist translation file wins when it scores more XML tags than
 * TypeScript-looking lines. Mirrors cloc's tests, including its `\b` before `<`.
 */
export function isQtLinguist(text: string): boolean {
  if (!text.includes("<")) return false;
  let linguist = 0;
  let script = 0;
  for (const line of text.split("\n")) {
    if (/\b<\/?(message|source|translation)>/.test(line)) linguist++;
    if (/^\s*(var|const|let|class|document)\b/.test(line)) script++;
    if (/[;}]\s*$/.test(line)) script++;
    if (/^\s*\/\//.test(line)) script++;
  }
  return linguist > script;
}
