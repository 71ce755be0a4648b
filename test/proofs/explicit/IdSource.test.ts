/**
 * The generated search code against the closures it replaces: random expressions over a state
 * whose function f is flat (one slot per argument), written out by `IdSource` as an id and as a
 * condition, must give the closure's value, or fail where it fails, on every sample state.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { showValue, type Value } from "../../../models/index.js";
import { slotOf } from "../../../proofs/explicit/compile.js";
import { compileIds, type IdCtx, type IdFn, type IdScope } from "../../../proofs/explicit/compileIds.js";
import { IdSource } from "../../../proofs/explicit/IdSource.js";
import { Layout } from "../../../proofs/explicit/Layout.js";
import { ValueTable } from "../../../proofs/explicit/ValueTable.js";
import { type Attempt, attempt, exprs, states } from "./exprArbitrary.js";

describe("IdSource", () => {
  it("writes out expressions that evaluate like their closures, on a flat state", () => {
    const vars = new Map([
      ["x", 0],
      ["s", 1],
      ["f", 2],
    ]);
    let written = 0;
    fc.assert(
      fc.property(
        fc.oneof({ arbitrary: exprs.bool, weight: 6 }, exprs.int, exprs.set, exprs.fn),
        fc.array(states, { minLength: 1, maxLength: 6 }),
        (node, samples) => {
          const table = new ValueTable();
          const layout = new Layout(table, [undefined, undefined, [1, 2, 3]]);
          const scope: IdScope = { vars, consts: new Map(), slots: new Map(), table, memos: [], layout };
          const q = slotOf(scope, "q");
          const compiled = attempt(() => compileIds(node, scope));
          // Folding a closed part failed at compile time; the generated code folds lazily instead.
          if (!("value" in compiled)) return;
          const closure = compiled.value;
          const src = new IdSource(scope);
          const id = src.id(node);
          const cond = src.cond(node);
          if (src.inline(node)) written++;
          const byId = src.build<IdFn>("byId", ["ctx"], `const s = ctx.s, b = ctx.b;\nreturn ${id};`);
          const byCond = src.build<IdFn>("byCond", ["ctx"], `const s = ctx.s, b = ctx.b;\nreturn ${cond} ? 1 : 0;`);
          for (const sample of [...samples, ...samples]) {
            const state: Value[] = [sample.x, sample.s, sample.f];
            // A fresh context per run: a failed evaluation leaves bound slots as they were at the failure.
            const on = (fn: IdFn): Attempt<number> => {
              const ctx: IdCtx = { s: new Int32Array(layout.length), b: new Int32Array(scope.slots.size + 1) };
              layout.reset(ctx.s);
              for (const [i, v] of state.entries()) layout.write(ctx.s, i, table.intern(v));
              ctx.b[q] = table.intern(1);
              return attempt(() => fn(ctx));
            };
            const expected = on(closure);
            const shown = "value" in expected ? showValue(table.values[expected.value] as Value) : expected.error;
            expect(on(byId), `${id} on ${state.map((v) => showValue(v))}: ${shown}`).toEqual(expected);
            if (!("value" in expected)) expect("error" in on(byCond)).toBe(true);
            else if (typeof table.values[expected.value] === "boolean") expect(on(byCond)).toEqual(expected);
            else expect("error" in on(byCond), "a condition on a non-Boolean fails").toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
    // The inline forms were exercised, not only the closure calls.
    expect(written, `${written} of 400 written out`).toBeGreaterThan(60);
  });
});
