import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Mermaid's browser bundle, inlined into HTML reports so they work offline. */
export function mermaidScript(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  } catch {
    return undefined;
  }
}
