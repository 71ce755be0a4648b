import { describe, expect, it } from "vitest";
import { type Model, type NestedEptParams, nestedEpt, showValue, type Value } from "../../../models/index.js";
import { checkModel, type Verdict } from "../../../proofs/index.js";

const defaults: NestedEptParams = { cpus: 1, largePages: 2, shrink: true, writes: 1 };

/** The model with NestedIsolation as its only property: the twin's consequence, not its first symptom. */
const isolationOnly = (m: Model): Model => ({
  ...m,
  invariants: m.invariants.filter((i) => i.name === "NestedIsolation"),
  properties: [],
});

type Violated = Extract<Verdict, { kind: "violated" }>;
const violated = (v: Verdict): Violated =>
  v.kind === "violated" ? v : expect.unreachable(`expected a violation, got ${v.kind}`);
const actions = (v: Violated) => v.trace.steps.map((s) => s.action);
/** Variable `name` in the last state of the trace, as TLA+ text. */
const last = (v: Violated, name: string) =>
  showValue(v.trace.steps.at(-1)?.values[v.trace.vars.indexOf(name)] as Value);

describe("NestedEpt", () => {
  it("holds on the defaults and reaches every branch of the protocol, so the properties are not vacuous", () => {
    const model = nestedEpt(defaults);
    const seen = new Set<string>();
    const at = (vals: readonly Value[], name: string) =>
      showValue(vals[model.variables.findIndex((x) => x.name === name)] as Value);
    const verdict = checkModel(model, {
      onTransition: (from, action, to) => {
        const name = action.replace(/\(.*/, "");
        if (name === "HvTrap") seen.add(at(to, "prot") === at(from, "prot") ? "trap declares" : "trap unprotects");
        if (name === "CellCreate" && at(to, "run") !== at(from, "run")) seen.add("create kicks");
        if (name === "CellCreate" && at(to, "known") !== at(from, "known")) seen.add("create invalidates");
        if (name === "HvValidate")
          seen.add(at(to, "known").includes("invalid") ? "validate refuses" : "validate accepts");
        seen.add(name);
      },
    });
    expect(verdict.kind).toBe("holds");
    for (const s of ["trap declares", "trap unprotects", "create kicks", "create invalidates", "validate refuses"])
      expect(seen).toContain(s);
    for (const a of ["NestedEnter", "HvFinishWrite", "KvmInvept", "CellDestroy", "KvmLoad"]) expect(seen).toContain(a);
    // With one CPU the writer is never inside a nested guest, so only a create kicks.
    expect(seen).not.toContain("HvKick");
  });

  it("holds with two CPUs and a shrinking host map, where a trapped write kicks the other CPU", () => {
    const kicks: string[] = [];
    const verdict = checkModel(nestedEpt({ ...defaults, cpus: 2 }), {
      onTransition: (_from, action) => {
        if (action.startsWith("HvKick")) kicks.push(action);
      },
    });
    expect(verdict.kind).toBe("holds");
    expect(kicks.length).toBeGreaterThan(0);
  });

  describe("must-fail twin tables (only the root page is write-protected)", () => {
    it("breaks TablePagesProtected at the first validation", () => {
      const v = violated(checkModel(nestedEpt({ ...defaults, bug: "tables" })));
      expect(v.property).toBe("TablePagesProtected");
      expect(actions(v)).toEqual(["Init", "HvValidate(c1)"]);
      expect(last(v, "prot")).toBe("{0}");
    });

    it("lets an untrapped write to the table page reach a running nested guest", () => {
      const v = violated(checkModel(isolationOnly(nestedEpt({ ...defaults, bug: "tables" }))));
      expect(v.property).toBe("NestedIsolation");
      expect(actions(v)[1]).toBe("HvValidate(c1)");
      expect(actions(v)[2]).toMatch(/^KvmWrite\(c1, 2, /);
      expect(actions(v).at(-1)).toBe("NestedEnter(c1)");
      expect(actions(v)).not.toContain("HvTrap");
    });
  });

  describe("must-fail twin revalidate (cell create takes memory without re-validation)", () => {
    it("leaves a stale valid EPT right after the create", () => {
      const v = violated(checkModel(nestedEpt({ ...defaults, bug: "revalidate" })));
      expect(v.property).toBe("NoStaleValid");
      expect(actions(v)).toEqual(["Init", "HvValidate(c1)", "CellCreate(3)"]);
    });

    it("keeps a nested guest running on memory another cell now owns", () => {
      const v = violated(checkModel(isolationOnly(nestedEpt({ ...defaults, bug: "revalidate" }))));
      expect(actions(v)).toEqual(["Init", "HvValidate(c1)", "NestedEnter(c1)", "CellCreate(3)"]);
      expect(last(v, "run")).toBe("(c1 :> 0)");
      expect(last(v, "owned")).toBe("{0, 1, 2}");
    });
  });

  describe("must-fail twin sharing (a shared table page tracked for one EPT only)", () => {
    it("misses the second EPT's tracking of the shared table", () => {
      const v = violated(checkModel(nestedEpt({ ...defaults, bug: "sharing" })));
      expect(v.property).toBe("TablePagesProtected");
      expect(actions(v)).toEqual(["Init", "HvValidate(c1)", "KvmLoad(c1, 1)", "HvValidate(c1)"]);
      expect(last(v, "trackedBy")).toContain("2 :> {0}");
    });

    it("invalidates only the first EPT on a trapped write, and the second runs on the written table", () => {
      const v = violated(checkModel(isolationOnly(nestedEpt({ ...defaults, bug: "sharing" }))));
      const trap = actions(v).indexOf("HvTrap");
      expect(trap).toBeGreaterThan(0);
      expect(showValue(v.trace.steps[trap]?.values[v.trace.vars.indexOf("known")] as Value)).toBe(
        "(0 :> invalid @@ 1 :> valid)",
      );
      expect(actions(v).slice(trap + 1)).toEqual(["HvFinishWrite", "NestedEnter(c1)"]);
      expect(last(v, "run")).toBe("(c1 :> 1)");
    });
  });

  describe("must-fail twin order (the write executes before the EPT is declared invalid)", () => {
    it("leaves a stale valid EPT once the write executes", () => {
      const v = violated(checkModel(nestedEpt({ ...defaults, bug: "order" })));
      expect(v.property).toBe("NoStaleValid");
      expect(actions(v).at(-1)).toBe("HvTrap");
    });

    it("changes the EPT under another CPU's running nested guest", () => {
      const v = violated(checkModel(isolationOnly(nestedEpt({ ...defaults, cpus: 2, bug: "order" }))));
      expect(actions(v).at(-1)).toBe("HvTrap");
      expect(last(v, "pend")).toContain("cpu |-> c1");
      expect(last(v, "pend")).toContain("st |-> written");
      expect(last(v, "run")).toBe("(c1 :> -1 @@ c2 :> 0)");
      expect(last(v, "known")).toContain("0 :> valid");
    });
  });

  it("accepts a root-level leaf to the data page only when large pages are off (it would span another cell's page)", () => {
    const stays = (largePages: number) => {
      const model = nestedEpt({ ...defaults, largePages });
      let accepted = false;
      checkModel(model, {
        onTransition: (from, action, to) => {
          const memAt = model.variables.findIndex((x) => x.name === "mem");
          const knownAt = model.variables.findIndex((x) => x.name === "known");
          if (
            action.startsWith("HvValidate") &&
            showValue(from[memAt] as Value).startsWith("(0 :> [k |-> leaf, t |-> 3")
          )
            accepted ||= showValue(to[knownAt] as Value).startsWith("(0 :> valid");
        },
      });
      return accepted;
    };
    expect([stays(1), stays(2)]).toEqual([true, false]);
  });
});
