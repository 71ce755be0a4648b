import { createRequire } from "node:module";
import { Language, type Node, Parser } from "web-tree-sitter";

let parser: Parser | undefined;

/**
 * Loads tree-sitter's C grammar (the wasm the `tree-sitter-c` package ships) once. Parsing is
 * synchronous afterwards, so the CLI awaits this before it loads a `.c` configuration.
 */
export async function initCParser(): Promise<void> {
  if (parser) return;
  await Parser.init();
  const p = new Parser();
  p.setLanguage(await Language.load(createRequire(import.meta.url).resolve("tree-sitter-c/tree-sitter-c.wasm")));
  parser = p;
}

export const cParserReady = (): boolean => parser !== undefined;

/** The syntax tree's root, or undefined before `initCParser` has finished. */
export function parseC(source: string): Node | undefined {
  return parser?.parse(source)?.rootNode ?? undefined;
}
