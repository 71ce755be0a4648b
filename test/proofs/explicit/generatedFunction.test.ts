/**
 * One factory per generated source: a function built again from the same source must still see
 * its own captured values (a cache that kept the first closure would not), and the cache stays
 * bounded.
 */
import { describe, expect, it } from "vitest";
import { generatedFunction, keptFactories } from "../../../proofs/explicit/generatedFunction.js";

describe("generatedFunction", () => {
  it("builds each function over its own captured values, reusing the source's factory", () => {
    const source = "return function add(x) { return k0 + x; };";
    const before = keptFactories();
    const one = generatedFunction<(x: number) => number>(source, [1]);
    const ten = generatedFunction<(x: number) => number>(source, [10]);
    expect(one(1)).toBe(2);
    expect(ten(1)).toBe(11);
    expect(one).not.toBe(ten);
    expect(keptFactories()).toBe(before + 1);
  });

  it("keeps a bounded number of factories", () => {
    for (let i = 0; i < 600; i++) generatedFunction(`return function f${i}() { return ${i}; };`, []);
    expect(keptFactories()).toBeLessThanOrEqual(256);
    expect(generatedFunction<() => number>("return function f0() { return 0; };", [])()).toBe(0);
  });
});
