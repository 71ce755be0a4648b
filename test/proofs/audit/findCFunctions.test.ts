import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCFunctions } from "../../../proofs/index.js";

const names = (text: string) => findCFunctions(text).map((f) => `${f.name}:${f.line}-${f.endLine}`);

describe("findCFunctions", () => {
  it("finds definitions with their first and last line", () => {
    expect(names("static int a(void)\n{\n\treturn 1;\n}\n\nvoid b(int x) { if (x) { x++; } }\n")).toEqual([
      "a:1-4",
      "b:6-6",
    ]);
  });
  it("ignores braces inside strings, characters, comments and preprocessor lines", () => {
    const text = "/* { */\n#define M { \\\n }\nint f(void)\n{\n\tchar *s = \"}\"; char c = '{'; // }\n\treturn 0;\n}\n";
    expect(names(text)).toEqual(["f:4-8"]);
  });
  it("does not take initialisers, structs or declarations for functions", () => {
    const text = "struct s { int a; };\nint t[] = { 1, 2 };\nint g(void);\nstatic const struct ops o = { .f = g };\n";
    expect(names(text)).toEqual([]);
  });
  it('looks inside extern "C" blocks and past attributes', () => {
    const text = 'extern "C" {\nvoid __attribute__((noreturn)) stop(void)\n{\n}\n}\n';
    expect(names(text)).toEqual(["stop:2-4"]);
  });
  it("finds every one of a sequence of generated functions", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }), (bodies) => {
        const text = bodies
          .map((n, i) => `int f${i}(int x)\n{\n${"\tif (x) { x--; }\n".repeat(n)}\treturn x;\n}\n`)
          .join("\n");
        const found = findCFunctions(text);
        expect(found.map((f) => f.name)).toEqual(bodies.map((_, i) => `f${i}`));
        expect(found.map((f) => f.endLine - f.line)).toEqual(bodies.map((n) => n + 3));
      }),
    );
  });
});
