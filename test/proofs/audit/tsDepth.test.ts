import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTree, tsDepth } from "../../../proofs/index.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "tsdepth-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const pkg = {
  "package.json": JSON.stringify({ name: "p", bin: { p: "dist/cli/main.js" } }),
  "tsconfig.json": '{ /* comments allowed */ "compilerOptions": { "outDir": "dist" } }',
  "cli/main.ts": 'import { used } from "../lib/index.js";\nused();\n',
  "lib/index.ts": 'export * from "./a.js";\nexport { spare as extra } from "./b.js";\n',
  "lib/a.ts":
    "export function used(): number {\n  return helper();\n}\nexport function helper(): number {\n  return 1;\n}\nexport const unused = 3;\n",
  "lib/b.ts": "export function spare(): void {\n  console.log(1);\n}\n",
  "lib/dead.ts": "export const d = 1;\nexport const e = 2;\n",
  "test/dead.test.ts": 'import { d } from "../lib/dead.js";\nconsole.log(d);\n',
};

describe("tsDepth", () => {
  const root = tree(pkg);
  const depth = tsDepth(root, auditTree(root));

  it("maps the package's bin from the build output back to its source", () => {
    expect(depth.entries).toEqual(["cli/main.ts"]);
  });
  it("lists a file only tests import as unreachable, with its code lines", () => {
    expect(depth.deadFiles).toEqual([{ file: "lib/dead.ts", code: 2 }]);
  });
  it("follows barrels and lists exports nothing imports, saving nothing for one its file uses", () => {
    const unused = depth.unusedExports.map((e) => [e.file, e.name, e.code]);
    expect(unused).toEqual([
      ["lib/a.ts", "helper", 0],
      ["lib/a.ts", "unused", 1],
      ["lib/b.ts", "spare", 3],
    ]);
    expect(depth.removable).toBe(2 + 1 + 3);
  });
  it("counts functions per file and ranks them by size", () => {
    expect(depth.functions[0]).toMatchObject({ code: 3, complexity: 1 });
    expect(depth.functionsPerFile.max).toBe(2);
  });
  it("skips dead-code analysis without a package.json", () => {
    const bare = tree({ "a.ts": "export const a = 1;\n" });
    expect(tsDepth(bare, auditTree(bare))).toMatchObject({
      entries: [],
      deadFiles: [],
      unusedExports: [],
      removable: 0,
    });
  });
});
