import { describe, expect, it } from "vitest";
import { cellLifecycle, showValue, type Value } from "../../../models/index.js";
import { checkModel, configFacts, lifecycleDiagram, loadExampleSet, resolveModels } from "../../../proofs/index.js";

const field = (v: Value | undefined, name: string): string => {
  if (typeof v !== "object" || v.kind !== "record") throw new Error("not a record");
  return showValue(v.values[v.names.indexOf(name)] as Value);
};

describe("CellLifecycle", () => {
  it("is instantiated from the example configuration: cells, passive comm regions, reply timeouts", () => {
    const [r] = resolveModels(["CellLifecycle"], {}, configFacts(loadExampleSet("x86")));
    const consts = Object.fromEntries((r?.model.constants ?? []).map((c) => [c.name, showValue(c.value)]));
    expect(consts).toEqual({ Cells: "{linux, rt-bare-metal}", Passive: "{linux}", WithTimeout: "{rt-bare-metal}" });
  });

  it("never freezes the root on the example system, whose only active cell has a reply timeout", () => {
    const [r] = resolveModels(["CellLifecycle"], {}, configFacts(loadExampleSet("x86")));
    expect(checkModel(r?.model ?? expect.unreachable()).kind).toBe("holds");
  });

  it("freezes the root when an active cell without timeout stays silent (semantics L1)", () => {
    const v = checkModel(cellLifecycle({ cells: ["rt"], passive: [], withTimeout: [] }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("NoFreeze");
    expect(v.trace.steps.at(-1)?.action).toMatch(/^Cell(SetLoadable|Start|Destroy)\(rt, hang\)$/);
  });

  it("must-fail twin: a destroy that skips the lock check breaks LockedCellBlocksReconfig", () => {
    const v = checkModel(
      cellLifecycle({ cells: ["a", "b"], passive: [], withTimeout: ["a", "b"], bugDestroySkipsLockCheck: true }),
    );
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("LockedCellBlocksReconfig");
    const steps = v.trace.steps;
    const last = steps.at(-1);
    expect(last?.action).toMatch(/^CellDestroy\((a|b), (approve|timeout)\)$/);
    expect([field(last?.values[1], "result"), field(last?.values[1], "othersLocked")]).toEqual(["ok", "TRUE"]);
    expect(steps.some((s) => /^CellWritesState\((a|b), LCK\)$/.test(s.action))).toBe(true);
  });
});

describe("the lifecycle state diagram", () => {
  it("is derived from the reachable state graph, with upstream's transitions and no impossible ones", () => {
    const [r] = resolveModels(["CellLifecycle"], {});
    const mermaid = lifecycleDiagram(r?.model ?? expect.unreachable());
    expect(mermaid).toMatch(/^stateDiagram-v2/);
    for (const edge of ["absent --> SD0: CellCreate", "SD0 --> RUN: CellStart", "RUN --> LCK: CellWritesState"]) {
      expect(mermaid).toContain(edge);
    }
    expect(mermaid).not.toMatch(/absent --> RUN/);
    expect(mermaid).not.toMatch(/SD0 --> LCK/);
  });
});
