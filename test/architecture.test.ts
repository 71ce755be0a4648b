import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findImportViolations } from "./importRules.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/architecture", import.meta.url));

describe("import directions", () => {
  it("finds no forbidden import in Warden's own folders", () => {
    expect(findImportViolations(root)).toEqual([]);
  });

  it("reports each forbidden edge of the fixture tree", () => {
    const found = findImportViolations(fixture).map((v) => `${v.file} -> ${v.specifier}: ${v.reason}`);
    expect(found).toEqual([
      "models/leak.ts -> node:fs: models/ does no I/O (node:fs)",
      "models/leak.ts -> ../hypervisor/index.js: models/ may not import hypervisor/",
      "hypervisor/peek.ts -> ../models/index.js: hypervisor/ may not import models/",
      "cli/deep.ts -> ../proofs/pipeline/secret.js: cli/ imports proofs/ past its index.ts",
      "cli/deep.ts -> ../models/index.js: cli/ may not import models/",
    ]);
  });
});
