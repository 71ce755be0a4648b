import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countLines } from "../../../proofs/index.js";

describe("countLines", () => {
  it("counts a line holding code and a comment as code", () => {
    expect(countLines("int a; /* c */\n", "C")).toEqual({ code: 1, comment: 0, blank: 0 });
  });
  it("merges the lines around a block comment that starts and ends next to code, as cloc does", () => {
    expect(countLines("int a; /* x\n y */ int b;\n", "C")).toEqual({ code: 1, comment: 1, blank: 0 });
  });
  it("takes comment markers inside string literals for comments, as cloc does by default", () => {
    expect(countLines('char *s = "/*";\nint b;\n*/\n', "C")).toEqual({ code: 1, comment: 2, blank: 0 });
  });
  it("keeps a whitespace-only line after a backslash continuation as code", () => {
    expect(countLines("#define M \\\n\nint a;\n", "C/C++ Header")).toEqual({ code: 3, comment: 0, blank: 0 });
  });
  it("counts #include in assembly as a comment, as cloc does", () => {
    expect(countLines("#include <x.h>\nmov r0, r1\n", "Assembly")).toEqual({ code: 1, comment: 1, blank: 0 });
  });
  it("keeps a makefile's #! line as code", () => {
    expect(countLines("#!/usr/bin/make -f\n# c\nall:\n", "make")).toEqual({ code: 2, comment: 1, blank: 0 });
  });
  it("treats CRLF like LF and a missing final newline like a present one", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom("int a;", "// c", "", "/* x */", "  ", "/*", "*/ b", "x \\"), {
            minLength: 1,
            maxLength: 20,
          })
          .filter((l) => l.at(-1) !== ""),
        fc.constantFrom<"C" | "Assembly" | "make" | "Linker Script">("C", "Assembly", "make", "Linker Script"),
        (lines, language) => {
          const lf = countLines(`${lines.join("\n")}\n`, language);
          expect(countLines(`${lines.join("\r\n")}\r\n`, language)).toEqual(lf);
          expect(countLines(lines.join("\n"), language)).toEqual(lf);
          expect(lf.code + lf.comment + lf.blank).toBe(lines.length);
        },
      ),
    );
  });
});
