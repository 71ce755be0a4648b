import { describe, expect, it } from "vitest";
import { type MsiParams, showValue, type Value, virtioMsi } from "../../../models/index.js";
import { checkModel, resolveModels } from "../../../proofs/index.js";

const defaults: MsiParams = { cells: ["a"], cpusPerCell: 2, vectors: 2, validation: "trapped" };

/** Values of variable `name` along a trace, shown as TLA+ text. */
const column = (trace: { vars: readonly string[]; steps: readonly { values: readonly Value[] }[] }, name: string) =>
  trace.steps.map((s) => showValue(s.values[trace.vars.indexOf(name)] as Value));

describe("VirtioMsi", () => {
  it("holds on the registry defaults and on two cells with one CPU each, in both safe designs", () => {
    for (const params of [{}, { validation: "delivery" }, { cells: "a,b", cpus: "1" }]) {
      const [r] = resolveModels(["msi"], params);
      const v = checkModel(r?.model ?? expect.unreachable());
      expect(v.kind, JSON.stringify(params)).toBe("holds");
    }
  });

  it("checks one NoLostInterrupt per device and vector, and the four named safety properties", () => {
    const model = virtioMsi({ ...defaults, cells: ["a", "rt-x"], cpusPerCell: 1 });
    expect(model.properties.map((p) => p.name)).toEqual([
      "NoLostInterrupt_a_0",
      "NoLostInterrupt_a_1",
      "NoLostInterrupt_rt_x_0",
      "NoLostInterrupt_rt_x_1",
    ]);
    expect(model.invariants.map((i) => i.name)).toEqual(
      expect.arrayContaining(["DeliveredOnlyInOwningCell", "NoSpuriousDelivery", "VectorsInRange"]),
    );
  });

  it("is not vacuous: guests of the delivery design write foreign entries, which are masked instead of delivered", () => {
    const seen = new Set<string>();
    for (const validation of ["trapped", "delivery"] as const) {
      const model = virtioMsi({ ...defaults, validation });
      const at = (vals: readonly Value[], name: string) =>
        showValue(vals[model.variables.findIndex((x) => x.name === name)] as Value);
      checkModel(model, {
        onTransition: (from, action, to) => {
          const same = (n: string) => at(from, n) === at(to, n);
          if (at(to, "entry").includes("r0")) seen.add(`${validation}: foreign entry`);
          if (action.startsWith("Deliver") && !same("outstanding")) seen.add(`${validation}: delivered`);
          if (action.startsWith("Deliver") && same("outstanding")) seen.add(`${validation}: held masked`);
          if (at(to, "pending").includes("TRUE") && at(to, "mask").includes("TRUE")) seen.add(`${validation}: parked`);
        },
      });
    }
    expect([...seen].sort()).toEqual([
      "delivery: delivered",
      "delivery: foreign entry",
      "delivery: held masked",
      "delivery: parked",
      "trapped: delivered",
      "trapped: parked",
    ]);
  });

  it("untrapped entries validated at unmask only: the guest rewrites an unmasked entry and the interrupt leaves the cell", () => {
    const v = checkModel(virtioMsi({ ...defaults, validation: "unmask" }));
    if (v.kind !== "violated") expect.unreachable("validation at unmask only must fail");
    expect(v.property).toBe("DeliveredOnlyInOwningCell");
    const actions = v.trace.steps.map((s) => s.action);
    const unmask = actions.findIndex((a) => /^WriteMask\(a, a\d, FALSE\)$/.test(a));
    const rewrite = actions.findIndex((a) => /^WriteEntry\(a, a\d, r0\)$/.test(a));
    expect(unmask).toBeGreaterThan(0);
    expect(rewrite).toBeGreaterThan(unmask);
    expect(actions.at(-1)).toMatch(/^Deliver\(a, \d\)$/);
    expect(v.trace.steps).toHaveLength(5);
  });

  it("must-fail twin: an unmask that drops the pending bit loses the interrupt (a fair lasso)", () => {
    const v = checkModel(virtioMsi({ ...defaults, bug: "pending" }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.propertyKind).toBe("temporal");
    expect(v.property).toMatch(/^NoLostInterrupt_a_\d$/);
    const vector = Number(v.property.at(-1));
    const loop = v.trace.loop ?? expect.unreachable("a liveness counterexample is a lasso");
    const outstanding = column(v.trace, "outstanding");
    const pending = column(v.trace, "pending");
    const bit = (shown: string | undefined) => shown?.includes(`${vector} :> TRUE`);
    // The unmask that loses it: before it the event was pending, after it only the ghost remembers it.
    const lost = v.trace.steps.findIndex(
      (_, i) => i > 0 && bit(pending[i - 1]) && !bit(pending[i]) && bit(outstanding[i]),
    );
    expect(v.trace.steps[lost]?.action).toMatch(/^WriteMask\(a, a\d, FALSE\)$/);
    expect(lost).toBeLessThanOrEqual(loop);
    for (let i = loop; i < v.trace.steps.length; i++) expect(bit(outstanding[i])).toBe(true);
  });

  it("must-fail twin: a second CPU changes VECTOR_SEL between the mask handler's check and its commit", () => {
    const v = checkModel(virtioMsi({ ...defaults, bug: "select" }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("VectorsInRange");
    const [init, trap, select, commit] = v.trace.steps.map((s) => s.action);
    expect(init).toBe("Init");
    const first = /^WriteMask\(a, (a\d), (TRUE|FALSE)\)$/.exec(trap ?? "")?.[1];
    const other = /^SelectVector\(a, (a\d), 2\)$/.exec(select ?? "")?.[1];
    expect(first).toBeDefined();
    expect(other).toBeDefined();
    expect(other).not.toBe(first);
    expect(commit).toBe(`MaskCommit(a, ${first})`);
  });

  it("refuses parameters it cannot model", () => {
    expect(() => resolveModels(["VirtioMsi"], { validation: "never" })).toThrow(/validation must be one of/);
    expect(() => resolveModels(["VirtioMsi"], { bug: "true" })).toThrow(/bug must be one of/);
    expect(() => resolveModels(["VirtioMsi"], { cells: "r" })).toThrow(/taken/);
    expect(() => resolveModels(["VirtioMsi"], { vectors: "9" })).toThrow(/vectors must be an integer/);
  });
});
