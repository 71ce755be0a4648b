/** Maps a file name to the cloc language it is counted as, or undefined when not audited. */
import { basename, extname } from "node:path";
import type { Language } from "./countLines.js";

const byExtension: Record<string, Language> = {
  ".c": "C",
  ".h": "C/C++ Header",
  ".hh": "C/C++ Header",
  ".hpp": "C/C++ Header",
  ".s": "Assembly",
  ".S": "Assembly",
  ".mk": "make",
  ".ts": "TypeScript",
  ".mts": "TypeScript",
  ".cts": "TypeScript",
};

/** The language of `file`, by extension or the name `Makefile`/`Kbuild`. */
export function languageOf(file: string): Language | undefined {
  const name = basename(file);
  if (name === "Makefile" || name === "makefile" || name === "GNUmakefile" || name === "Kbuild") return "make";
  return byExtension[extname(name)];
}
