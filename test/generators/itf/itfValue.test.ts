import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromItfValue, toItf, toItfValue } from "../../../generators/index.js";
import { functionOf, recordOf, setOf, tupleOf, type Value, valuesEqual } from "../../../models/index.js";

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom("a", "b", "c1"),
    fc.array(tie("v"), { maxLength: 3 }).map(setOf),
    fc.array(tie("v"), { maxLength: 3 }).map(tupleOf),
    fc.dictionary(fc.constantFrom("x", "y", "z"), tie("v"), { maxKeys: 3 }).map(recordOf),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), tie("v")), { maxLength: 3 }).map(functionOf),
  ),
})).v;

describe("ITF values", () => {
  it("round-trip every kernel value through JSON", () => {
    fc.assert(
      fc.property(value, (v) => {
        const back = fromItfValue(JSON.parse(JSON.stringify(toItfValue(v))));
        expect(valuesEqual(back, v)).toBe(true);
      }),
    );
  });

  it("marks a lasso with ITF's loop field and names each state's action", () => {
    const itf = toItf({
      vars: ["x"],
      steps: [
        { action: "Init", values: [0] },
        { action: "Tick", values: [1] },
      ],
      loop: 0,
    });
    expect(itf.loop).toBe(0);
    expect(itf.states.map((s) => s["#meta"])).toEqual([
      { index: 0, action: "Init" },
      { index: 1, action: "Tick" },
    ]);
  });
});
