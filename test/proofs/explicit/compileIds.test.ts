/**
 * The id-level evaluator (memoised operations on interned ids) against the value-level one it
 * falls back on: random expressions over a small state, evaluated on several random states with
 * one compiled closure (so memos hit and miss), must give equal values or both fail.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Node, showValue, type Value, valuesEqual } from "../../../models/index.js";
import { compile } from "../../../proofs/explicit/compile.js";
import { compileIds, type IdScope } from "../../../proofs/explicit/compileIds.js";
import { Memo1, Memo2, Memo3, MemoN, MISS } from "../../../proofs/explicit/IdMemo.js";
import { ValueTable } from "../../../proofs/explicit/ValueTable.js";
import { attempt, exprs, lit, states } from "./exprArbitrary.js";

describe("compileIds", () => {
  it("agrees with the value-level evaluator on random expressions and states", () => {
    const vars = new Map([
      ["x", 0],
      ["s", 1],
      ["f", 2],
    ]);
    fc.assert(
      fc.property(
        fc.oneof(exprs.int, exprs.bool, exprs.set, exprs.fn),
        fc.array(states, { minLength: 1, maxLength: 6 }),
        (body, samples) => {
          // q is bound at the top, so that a q outside every quantifier reads a defined value.
          const node: Node = { k: "let", name: "q", def: lit(1), body };
          const table = new ValueTable();
          const scope: IdScope = { vars, consts: new Map(), slots: new Map(), table, memos: [] };
          // Constant folding evaluates closed parts at compile time, in both evaluators alike.
          const byIds = attempt(() => compileIds(node, scope));
          const byValues = attempt(() => compile(node, { vars, consts: new Map(), slots: new Map() }));
          expect("error" in byIds).toBe("error" in byValues);
          if (!("value" in byIds) || !("value" in byValues)) return;
          for (const sample of [...samples, ...samples]) {
            const state: Value[] = [sample.x, sample.s, sample.f];
            const expected = attempt(() => byValues.value({ s: state, b: [] }));
            const ctx = { s: Int32Array.from(state, (x) => table.intern(x)), b: new Int32Array(scope.slots.size + 1) };
            const actual = attempt(() => table.values[byIds.value(ctx)] as Value);
            if ("error" in expected) expect("error" in actual, "both fail").toBe(true);
            else {
              expect("value" in actual, `evaluates: ${"error" in actual ? actual.error : ""}`).toBe(true);
              const got = (actual as { value: Value }).value;
              expect(valuesEqual(got, expected.value), `${showValue(got)} = ${showValue(expected.value)}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fails like the id evaluator on a bad bound of an interval x is outside (seed 1855750426)", () => {
    // 0 \in 1..((CHOOSE q \in s : FALSE) % 0): the id evaluator evaluates both bounds; the value
    // evaluator used to stop at 0 < 1 and answer FALSE.
    const choose: Node = { k: "choose", name: "q", set: { k: "var", name: "s" }, body: lit(false) };
    const hi: Node = { k: "op", op: "mod", args: [choose, lit(0)] };
    const node: Node = { k: "op", op: "in", args: [lit(0), { k: "op", op: "range", args: [lit(1), hi] }] };
    const vars = new Map([["s", 0]]);
    const table = new ValueTable();
    const byIds = compileIds(node, { vars, consts: new Map(), slots: new Map(), table, memos: [] });
    const byValues = compile(node, { vars, consts: new Map(), slots: new Map() });
    const empty: Value = { kind: "set", elems: [] };
    const ctx = { s: Int32Array.of(table.intern(empty)), b: new Int32Array(1) };
    expect("error" in attempt(() => byIds(ctx))).toBe(true);
    expect("error" in attempt(() => byValues({ s: [empty], b: [] }))).toBe(true);
  });
});

describe("id memos", () => {
  it("return what was stored under each key, and MISS for keys never stored", () => {
    const key = fc.tuple(fc.nat(5000), fc.nat(50), fc.nat(50));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.nat(1 << 20)), { maxLength: 400 }), key, (entries, probe) => {
        const m1 = new Memo1();
        const m2 = new Memo2();
        const m3 = new Memo3();
        const mn = new MemoN(3);
        const model = new Map<string, number>();
        const scratch = new Int32Array(3);
        for (const [[a, b, c], r] of entries) {
          const k = `${a},${b},${c}`;
          if (model.has(k)) continue; // memos are written once per key
          model.set(k, r);
          m3.set(a, b, c, r);
          scratch.set([a, b, c]);
          mn.set(scratch, r);
          if (!model.has(`${a},${b}`)) {
            model.set(`${a},${b}`, r);
            m2.set(a, b, r);
          }
          if (!model.has(`${a}`)) {
            model.set(`${a}`, r);
            m1.set(a, r);
          }
        }
        for (const [[a, b, c]] of [...entries, [probe, 0] as const]) {
          scratch.set([a, b, c]);
          expect(m3.get(a, b, c)).toBe(model.get(`${a},${b},${c}`) ?? MISS);
          expect(mn.get(scratch)).toBe(model.get(`${a},${b},${c}`) ?? MISS);
          expect(m2.get(a, b)).toBe(model.get(`${a},${b}`) ?? MISS);
          expect(m1.get(a)).toBe(model.get(`${a}`) ?? MISS);
        }
      }),
      { numRuns: 100 },
    );
  });
});
