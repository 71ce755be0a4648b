import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch } from "../../../proofs/index.js";

const segment = fc.stringMatching(/^[a-z0-9_.-]{1,6}$/).filter((s) => s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));

describe("globMatch", () => {
  it.each([
    ["core/a.c", "core/**", true],
    ["core", "core/**", true],
    ["corex/a.c", "core/**", false],
    ["arch/x86/amd_iommu.c", "**/amd*", true],
    ["amd.c", "**/amd*", true],
    ["arch/x86/intel.c", "**/amd*", false],
    ["a.ts", "*.ts", true],
    ["dir/a.ts", "*.ts", false],
    ["arch/arm64/x.c", "arch/{arm64,arm-common}/**", true],
    ["arch/arm-common/x.c", "arch/{arm64,arm-common}/**", true],
    ["arch/arm/x.c", "arch/{arm64,arm-common}/**", false],
    ["a/b/c.h", "a/**/c.h", true],
    ["a/c.h", "a/**/c.h", true],
    ["x1.c", "x?.c", true],
    ["x12.c", "x?.c", false],
    ["a.S", "*.[sS]", true],
    ["a.c", "*.[!sS]", true],
    ["a+b.c", "a+b.c", true],
    ["a/b.c", "{a/*,z}.c", true],
  ])("matches %s against %s: %s", (p, g, want) => {
    expect(globMatch(p, g)).toBe(want);
  });
  it("matches every path with ** and a path with itself", () => {
    fc.assert(
      fc.property(path, (p) => {
        expect(globMatch(p, "**")).toBe(true);
        expect(globMatch(p, p)).toBe(true);
      }),
    );
  });
  it("matches a path whose segments are replaced by * only with as many segments", () => {
    fc.assert(
      fc.property(path, path, (p, q) => {
        const glob = p
          .split("/")
          .map(() => "*")
          .join("/");
        expect(globMatch(q, glob)).toBe(q.split("/").length === p.split("/").length);
      }),
    );
  });
});
