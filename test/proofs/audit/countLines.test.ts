import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditTree, countLines } from "../../../proofs/index.js";

const fixtures = fileURLToPath(new URL("../../fixtures/audit", import.meta.url));
const cloc = spawnSync("cloc", ["--version"], { encoding: "utf8" });
const hasCloc = cloc.status === 0;
if (!hasCloc) console.warn("cloc is not installed: skipping the cloc comparison (CI installs it)");

describe("countLines", () => {
  it("counts a line holding code and a comment as code", () => {
    expect(countLines("int a; /* c */\n", "C")).toEqual({ code: 1, comment: 0, blank: 0 });
  });
  it("ignores comment markers inside string literals", () => {
    expect(countLines('s = "/* x";\nint b;\n', "C")).toEqual({ code: 2, comment: 0, blank: 0 });
  });
  it("treats CRLF like LF and a missing final newline like a present one", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom("int a;", "// c", "", "/* x */", "  "), { minLength: 1, maxLength: 20 })
          .filter((l) => l.at(-1) !== ""),
        (lines) => {
          const lf = countLines(`${lines.join("\n")}\n`, "C");
          expect(countLines(`${lines.join("\r\n")}\r\n`, "C")).toEqual(lf);
          expect(countLines(lines.join("\n"), "C")).toEqual(lf);
          expect(lf.code + lf.comment + lf.blank).toBe(lines.length);
        },
      ),
    );
  });
});

describe.skipIf(!hasCloc)("auditTree compared with cloc", () => {
  it("gives cloc's counts for every fixture file", () => {
    const r = spawnSync("cloc", ["--by-file", "--json", "--quiet", "."], { cwd: fixtures, encoding: "utf8" });
    const theirs = JSON.parse(r.stdout) as Record<string, { code: number; comment: number; blank: number }>;
    const ours = auditTree(fixtures);
    expect(ours.length).toBe(Object.keys(theirs).filter((k) => k !== "header" && k !== "SUM").length);
    for (const f of ours) {
      const t = theirs[`./${f.file}`];
      expect({ file: f.file, code: f.code, comment: f.comment, blank: f.blank }).toEqual({
        file: f.file,
        code: t?.code,
        comment: t?.comment,
        blank: t?.blank,
      });
    }
  });
});
