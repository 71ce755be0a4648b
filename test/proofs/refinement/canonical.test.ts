import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical } from "../../../proofs/refinement/canonical.js";

/** canonical as it was first written: JSON.stringify with a replacer rebuilding each object from its sorted entries. */
function reference(x: unknown): string {
  return JSON.stringify(x, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Either the text or the error each gives. */
function outcome(f: () => string): string {
  try {
    return `ok ${f()}`;
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

/** Keys that order differently as strings and as object properties (array indices come first, numerically). */
const key = fc.oneof(
  { arbitrary: fc.constantFrom("0", "1", "2", "10", "9", "01", "-1", "4294967294", "4294967295", "a", "B"), weight: 3 },
  { arbitrary: fc.string(), weight: 1 },
);
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, undefined, true, false, 0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21),
    fc.string(),
    fc.integer(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 6 }),
  ),
}));

describe("canonical", () => {
  it("writes what the replacer form writes, for plain data (sorted keys, indices first, undefined dropped)", () => {
    fc.assert(
      fc.property(plain.value, (x) => {
        expect(canonical(x)).toBe(reference(x));
      }),
    );
  });

  it("falls back to the replacer form for anything else (Maps, Dates, typed arrays, boxed values, bigints)", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withMap: true,
          withSet: true,
          withDate: true,
          withTypedArray: true,
          withBoxedValues: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBigInt: true,
          withObjectString: true,
        }),
        (x) => {
          expect(outcome(() => canonical(x))).toBe(outcome(() => reference(x)));
        },
      ),
    );
  });
});
