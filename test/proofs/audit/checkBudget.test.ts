import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkBudget, type FileCount, InputError, loadBudget } from "../../../proofs/index.js";

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
  it("sums the included files minus the excluded ones", () => {
    const b = loadBudget(
      budget("targets:\n  x86:\n    include: ['core/**', 'arch/x86/**']\n    exclude: ['**/amd*']\n    limit: 1000\n"),
    );
    expect(checkBudget(b, files)).toEqual([{ target: "x86", code: 400, limit: 1000, files: 2, overruns: [] }]);
  });
  it("reports a total and a per-file overrun", () => {
    const b = loadBudget(budget("targets:\n  x86:\n    include: ['**']\n    limit: 700\n    fileLimit: 350\n"));
    expect(checkBudget(b, files)[0]?.overruns).toHaveLength(2);
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
