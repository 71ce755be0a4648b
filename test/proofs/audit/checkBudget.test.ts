import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byDirectory, checkBudget, type FileCount, InputError, loadBudget } from "../../../proofs/index.js";

const files: FileCount[] = [
  { file: "core/a.c", language: "C", code: 300, comment: 0, blank: 0 },
  { file: "arch/x86/amd.c", language: "C", code: 400, comment: 0, blank: 0 },
  { file: "arch/x86/intel.c", language: "C", code: 100, comment: 0, blank: 0 },
];
const budget = (yaml: string) => {
  const f = join(mkdtempSync(join(tmpdir(), "budget-")), "b.yaml");
  writeFileSync(f, yaml);
  return f;
};

describe("checkBudget", () => {
  it("sums the included files minus the excluded ones, with each directory's share", () => {
    const b = loadBudget(
      budget("targets:\n  x86:\n    include: ['core/**', 'arch/x86/**']\n    exclude: ['**/amd*']\n    limit: 1000\n"),
    );
    const [r] = checkBudget(b, files);
    expect(r).toMatchObject({ target: "x86", code: 400, limit: 1000, files: 2, overruns: [] });
    expect(r?.byDirectory).toEqual([
      { dir: "core", code: 300, share: 0.75 },
      { dir: "arch/x86", code: 100, share: 0.25 },
    ]);
    expect(r?.largestFiles[0]).toEqual({ file: "core/a.c", code: 300 });
  });
  it("reports a total and a per-file overrun", () => {
    const b = loadBudget(budget("targets:\n  x86:\n    include: ['**']\n    limit: 700\n    fileLimit: 350\n"));
    expect(checkBudget(b, files)[0]?.overruns).toHaveLength(2);
  });
  it("reports a function over the function limit and ranks the largest functions", () => {
    const b = loadBudget(budget("targets:\n  all:\n    include: ['**']\n    limit: 9000\n    functionLimit: 60\n"));
    const fns = (f: FileCount) => [
      { file: f.file, name: "big", line: 1, code: 61 },
      { file: f.file, name: "small", line: 90, code: 5 },
    ];
    const [r] = checkBudget(b, files, fns);
    expect(r?.overruns).toHaveLength(3);
    expect(r?.largestFunctions.map((f) => f.name)).toEqual(["big", "big", "big", "small", "small"]);
  });
  it("rejects a budget with a bad field, naming its path", () => {
    const f = budget("targets:\n  x86:\n    include: ['**']\n    limit: -1\n");
    expect(() => loadBudget(f)).toThrow(InputError);
    try {
      loadBudget(f);
    } catch (e) {
      expect((e as InputError).diagnostic.field).toBe("targets.x86.limit");
    }
  });
});

describe("byDirectory", () => {
  it("splits the total into shares that add up to one", () => {
    const file = fc.record({
      file: fc.constantFrom("a.c", "x/b.c", "x/y/c.c", "z/d.h"),
      language: fc.constant("C" as const),
      code: fc.integer({ min: 1, max: 1000 }),
      comment: fc.constant(0),
      blank: fc.constant(0),
    });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 12 }), fc.constantFrom(undefined, 1), (fs, levels) => {
        const total = fs.reduce((s, f) => s + f.code, 0);
        const shares = byDirectory(fs, total, levels);
        expect(shares.reduce((s, d) => s + d.code, 0)).toBe(total);
        expect(shares.reduce((s, d) => s + d.share, 0)).toBeCloseTo(1, 9);
        if (levels === 1) expect(shares.every((d) => !d.dir.includes("/"))).toBe(true);
      }),
    );
  });
});
