import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Language, Parser } from "web-tree-sitter";
import { manifestTla, packageRoot } from "../../../proofs/index.js";

const files = manifestTla();
let parser: Parser;

beforeAll(async () => {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve("@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm");
  parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
});

describe("the TLA+ committed under proofs/tla/", () => {
  for (const [path, text] of files) {
    it(`${path} equals the generator's output (regenerate: npx tsx proofs/tla/regenerate.ts)`, () => {
      expect(readFileSync(join(packageRoot, path), "utf8")).toBe(text);
    });
    if (path.endsWith(".tla")) {
      it(`${path} parses without syntax errors (tree-sitter TLA+ grammar)`, () => {
        const tree = parser.parse(text);
        expect(tree?.rootNode.hasError).toBe(false);
      });
    }
  }

  it("lets the syntax check fail on a broken module", () => {
    const tree = parser.parse("---- MODULE Bad ----\nInit == x = 0 /\\\nNext == x' = (x + )\n====\n");
    expect(tree?.rootNode.hasError).toBe(true);
  });
});
