import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emitTla, tlaExpr } from "../../../generators/index.js";
import { recordSet } from "../../../generators/tla/recordSet.js";
import { sharedSubexpressions } from "../../../generators/tla/sharedSubexpressions.js";
import { modelRegistry, type Node } from "../../../models/index.js";
import { readManifest, resolveModels } from "../../../proofs/index.js";

const bound = (name: string): Node => ({ k: "bound", name });
const cnst = (name: string): Node => ({ k: "const", name });
const lit = (value: string | boolean): Node => ({ k: "lit", value });
const setMap = (name: string, set: Node, body: Node): Node => ({ k: "setMap", name, set, body });
const bigUnion = (arg: Node): Node => ({ k: "op", op: "bigUnion", args: [arg] });
const rec = (...fields: [string, Node][]): Node => ({ k: "record", fields });

/** Replaces every L_n by its definition until none is left: the LET-free text the names stand for. */
function inline(text: string, defs: ReadonlyMap<string, string>): string {
  let out = text;
  for (let i = 0; i <= defs.size && /\bL_\d+\b/.test(out); i++)
    out = out.replace(/\bL_\d+\b/g, (name) => `${defs.get(name) ?? name}`);
  return out;
}

describe("record sets", () => {
  it("prints nested set maps of a record as [f : S, ...], fixed fields as singletons", () => {
    const node = bigUnion(
      setMap("x", cnst("A"), setMap("y", cnst("B"), rec(["b", bound("y")], ["k", lit("ptr")], ["a", bound("x")]))),
    );
    expect(tlaExpr(node)).toBe('[b : B, k : {"ptr"}, a : A]');
    expect(tlaExpr(setMap("x", cnst("A"), rec(["a", bound("x")])))).toBe("[a : A]");
  });

  it("keeps the general form where a record set would mean something else", () => {
    const dependent = bigUnion(
      setMap(
        "x",
        cnst("A"),
        setMap("y", { k: "apply", fn: cnst("F"), arg: bound("x") }, rec(["a", bound("x")], ["b", bound("y")])),
      ),
    );
    const unused = bigUnion(setMap("x", cnst("A"), setMap("y", cnst("B"), rec(["a", bound("y")]))));
    const twice = setMap("x", cnst("A"), rec(["a", bound("x")], ["b", bound("x")]));
    const computed = setMap("x", cnst("A"), rec(["a", { k: "op", op: "plus", args: [bound("x"), lit("1")] }]));
    for (const node of [dependent, unused, twice, computed]) {
      expect(recordSet(node)).toBeUndefined();
      expect(tlaExpr(node)).toMatch(/^(\(UNION )?\{/);
    }
  });

  it("leaves no UNION in the TypeOK of any registered model's default instance", () => {
    for (const { name } of modelRegistry) {
      const [r] = resolveModels([name], {});
      if (!r) continue;
      const spec = emitTla(r.model, { command: "t", version: "t", inputHash: "t" }).files[`${r.model.name}.tla`] ?? "";
      const typeOk = spec.slice(spec.indexOf("TypeOK =="), spec.indexOf("Init =="));
      expect(typeOk, name).not.toContain("UNION");
    }
    const [cl] = resolveModels(["CellLifecycle"], {});
    const text = cl
      ? (emitTla(cl.model, { command: "t", version: "t", inputHash: "t" }).files["CellLifecycle.tla"] ?? "")
      : "";
    expect(text).toMatch(
      /lastOp \\in \[op : \{[^}]*\}, target : \(Cells \\cup \{"none"\}\), result : \{[^}]*\}, othersLocked : \{FALSE, TRUE\}\]/,
    );
  });
});

describe("LET for an action's repeated sub-expressions", () => {
  const check = (roots: readonly Node[], scope: ReadonlySet<string>): void => {
    const shared = sharedSubexpressions(roots, scope, "L_");
    const defs = new Map(shared.defs);
    // Each definition uses only earlier ones, so the LET is well-formed in its printed order.
    shared.defs.forEach(([, text], i) => {
      for (const m of text.matchAll(/\bL_(\d+)\b/g)) expect(Number(m[1])).toBeLessThanOrEqual(i);
    });
    const printed = roots.map((r) => shared.print(r));
    // With the names expanded again, every root reads exactly as it does without them.
    expect(printed.map((text) => inline(text, defs))).toEqual(roots.map((r) => tlaExpr(r)));
    // A name stands for a repetition: it occurs at least twice among the roots and the other definitions.
    const all = [...printed, ...shared.defs.map(([, t]) => t)].join("\n");
    for (const [name] of shared.defs)
      expect(all.match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0).toBeGreaterThanOrEqual(2);
  };

  it("names only repetitions, and expands back to the same text, on every manifest model's actions", () => {
    let named = 0;
    for (const entry of readManifest()) {
      const [r] = resolveModels([entry.model], entry.params);
      for (const a of r?.model.actions ?? []) {
        const roots = [a.guard, ...a.updates.map((u) => ("eq" in u ? u.eq : u.in))];
        check(roots, new Set(a.params.map((p) => p.name)));
        named += sharedSubexpressions(roots, new Set(a.params.map((p) => p.name)), "L_").defs.length;
      }
    }
    expect(named).toBeGreaterThan(0);
  });

  it("does the same on random expressions over variables, a parameter and quantifiers", () => {
    const leaf = fc.constantFrom<Node>(
      { k: "var", name: "cellState" },
      { k: "var", name: "replyOfCell" },
      bound("p"),
      lit("a"),
      cnst("Cells"),
    );
    // A term over the quantified q, long enough to be worth a name, that several quantifiers share.
    const qTerm: Node = {
      k: "op",
      op: "eq",
      args: [{ k: "apply", fn: { k: "var", name: "cellState" }, arg: bound("q") }, lit("LOCKED")],
    };
    const expr = fc.letrec<{ e: Node }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc
          .tuple(fc.constantFrom("eq", "in", "union", "and"), tie("e"), tie("e"))
          .map(([op, a, b]): Node => ({ k: "op", op: op as "eq", args: [a, b] })),
        fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, t, f]): Node => ({ k: "if", cond: c, ifTrue: t, ifFalse: f })),
        tie("e").map(
          (e): Node => ({ k: "exists", name: "q", set: cnst("Cells"), body: { k: "op", op: "and", args: [qTerm, e] } }),
        ),
        tie("e").map((e): Node => ({ k: "apply", fn: { k: "var", name: "cellState" }, arg: e })),
      ),
    })).e;
    // Roots share sub-terms, as an action's updates share their conditions.
    const roots = fc
      .tuple(expr, expr)
      .chain(([a, b]) =>
        fc.array(fc.constantFrom<Node>(a, b, { k: "op", op: "and", args: [a, b] }), { minLength: 1, maxLength: 4 }),
      );
    fc.assert(
      fc.property(roots, (rs) => {
        check(rs, new Set(["p"]));
        // A definition sits outside every quantifier: it may not use the quantified q unless it binds q itself.
        for (const [, text] of sharedSubexpressions(rs, new Set(["p"]), "L_").defs)
          if (/\bq\b/.test(text)) expect(text).toMatch(/\\E q \\in/);
      }),
    );
  });
});
