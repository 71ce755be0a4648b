import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { walk } from "../../../../proofs/audit/surface/cellSurface.js";
import { tsCallGraph } from "../../../../proofs/audit/surface/tsCallGraph.js";

/** A miniature core: a barrel, an interface dispatched by name, a class, two architectures. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "warden-callgraph-"));
  const files: Record<string, string> = {
    "core/archOps.ts": "export interface ArchOps {\n  pio(n: number): number;\n}\n",
    "core/leaf.ts": "/** doc */\nexport function leaf(): number {\n  // a comment line\n\n  return 1;\n}\n",
    "core/index.ts": 'export { leaf } from "./leaf.js";\nexport * from "./guest.js";\n',
    "core/guest.ts":
      'import type { ArchOps } from "./archOps.js";\nexport function guestPio(arch: ArchOps): number {\n  return arch.pio(1);\n}\n',
    "core/box.ts":
      'import { leaf } from "./index.js";\nexport class Box {\n  run(): number {\n    return this.inner();\n  }\n  private inner(): number {\n    return [1].map(() => leaf())[0] ?? 0;\n  }\n}\n',
    "arch/x86/x86.ts":
      'import type { ArchOps } from "../../core/archOps.js";\nimport { leaf } from "../../core/index.js";\nexport const x86: ArchOps = {\n  pio: (n) => n + leaf(),\n};\n',
    "arch/arm64/arm64.ts":
      'import type { ArchOps } from "../../core/archOps.js";\nexport const arm64: ArchOps = {\n  pio() {\n    return 0;\n  },\n};\n',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

// A fresh disk cache, so the graph is built here rather than read from an earlier run's.
const cacheDir = mkdtempSync(join(tmpdir(), "warden-graph-cache-"));
process.env.WARDEN_CACHE_DIR = cacheDir;

describe("the TypeScript call graph", () => {
  const dir = fixture();
  const names = (g: ReturnType<typeof tsCallGraph>, from: string, name: string) => {
    const f = g.find(from, name);
    if (!f) throw new Error(`${from}#${name} missing`);
    return [...walk(g, f.id, new Set())].map((id) => `${g.functions[id]?.file}#${g.functions[id]?.name}`).sort();
  };

  it("dispatches an interface call to the chosen architecture only, through barrels and imports", () => {
    expect(names(tsCallGraph(dir, "x86"), "core/guest.ts", "guestPio")).toEqual([
      "arch/x86/x86.ts#pio",
      "core/guest.ts#guestPio",
      "core/leaf.ts#leaf",
    ]);
    expect(names(tsCallGraph(dir, "arm64"), "core/guest.ts", "guestPio")).toEqual([
      "arch/arm64/arm64.ts#pio",
      "core/guest.ts#guestPio",
    ]);
  });

  it("follows this.method and callbacks, and counts code lines without comments or blanks", () => {
    const g = tsCallGraph(dir, "x86");
    expect(names(g, "core/box.ts", "run")).toEqual(
      expect.arrayContaining(["core/box.ts#Box.inner", "core/leaf.ts#leaf"]),
    );
    expect(g.find("core/leaf.ts", "leaf")?.lines).toEqual([2, 5, 6]);
  });

  it("a barrier is never entered", () => {
    const g = tsCallGraph(dir, "x86");
    const start = g.find("core/guest.ts", "guestPio")?.id ?? -1;
    const pio = g.find("arch/x86/x86.ts", "pio")?.id ?? -1;
    expect([...walk(g, start, new Set([pio]))]).toEqual([start]);
  });

  it("is stored on disk under its source hash, as built", () => {
    const g = tsCallGraph(dir, "x86");
    const files = readdirSync(cacheDir).filter((f) => f.startsWith("surface-graph-x86-"));
    expect(files).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(cacheDir, files[0] as string), "utf8")) as { functions: unknown };
    expect(stored.functions).toEqual(JSON.parse(JSON.stringify(g.functions)));
  });
});
