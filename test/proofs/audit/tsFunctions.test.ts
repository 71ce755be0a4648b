import { describe, expect, it } from "vitest";
import { parseTs, tsFunctions } from "../../../proofs/index.js";

const fns = (text: string) =>
  tsFunctions("x.ts", parseTs("x.ts", text)).map((f) => ({ name: f.name, code: f.code, complexity: f.complexity }));

describe("tsFunctions", () => {
  it("gives a straight-line function complexity 1", () => {
    expect(fns("export function f(): number {\n  return 1;\n}\n")).toEqual([{ name: "f", code: 3, complexity: 1 }]);
  });
  it("adds one per branch, loop, case, catch and short-circuit operator", () => {
    const text = [
      "function g(x: number, y?: number) {",
      "  if (x > 0 && y !== undefined) return 1;",
      "  for (const _ of [1]) x++;",
      "  while (x < 0) x++;",
      "  switch (x) { case 1: break; case 2: break; default: break; }",
      "  try { x = y ?? 0; } catch { x = x > 1 ? 1 : 0; }",
      "  return x || 2;",
      "}",
    ].join("\n");
    // if, &&, for-of, while, 2 cases, ??, catch, ?:, || = 10 decisions
    expect(fns(text)).toEqual([{ name: "g", code: 8, complexity: 11 }]);
  });
  it("measures nested functions on their own and names arrows, methods and constructors", () => {
    const text = [
      "const outer = () => {",
      "  const inner = (a: boolean) => (a ? 1 : 2);",
      "  return inner(true);",
      "};",
      "class K {",
      "  constructor() {}",
      "  m(): void {}",
      "}",
    ].join("\n");
    expect(fns(text).map((f) => [f.name, f.complexity])).toEqual([
      ["outer", 1],
      ["inner", 2],
      ["K.constructor", 1],
      ["K.m", 1],
    ]);
  });
});
