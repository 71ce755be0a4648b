import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticCodes } from "../../../proofs/index.js";
import { root } from "../../e2e/run.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") ? [path] : [];
  });
}

describe("the diagnostic code catalogue", () => {
  it("documents every WRD code the source emits", () => {
    const used = new Set(
      ["models", "hypervisor", "proofs", "generators", "cli"].flatMap((d) =>
        sources(join(root, d)).flatMap((f) =>
          [...readFileSync(f, "utf8").matchAll(/"(WRD\d{3})"/g)].map((m) => m[1] as string),
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((c) => !(c in diagnosticCodes))).toEqual([]);
  });
});
