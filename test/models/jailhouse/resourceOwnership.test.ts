import { describe, expect, it } from "vitest";
import { resourceOwnership } from "../../../models/index.js";
import { checkModel, loadExampleSet, ownershipSpec } from "../../../proofs/index.js";
import { overlappingExample } from "../../builders/overlappingExample.js";

describe("ResourceOwnership", () => {
  it("cuts memory into the overlap classes the configuration forms", () => {
    const spec = ownershipSpec(overlappingExample(), "upstream");
    const shared = (spec.takes["rt-bare-metal"] ?? []).filter((r) => (spec.takes.linux ?? []).includes(r));
    expect(shared).toEqual(["mem 0x3b080000-0x3b100000", "mem 0x3b100000-0x3b180000"]);
    expect(spec.cpus).toEqual(["cpu0", "cpu1", "cpu2", "cpu3"]);
  });

  it("holds on the example system in both modes: ivshmem regions are declared sharing", () => {
    for (const mode of ["upstream", "strict"] as const) {
      expect(checkModel(resourceOwnership(ownershipSpec(loadExampleSet("x86"), mode))).kind).toBe("holds");
    }
  });

  it("lets two cells hold the same memory under upstream semantics, with a counterexample", () => {
    const v = checkModel(resourceOwnership(ownershipSpec(overlappingExample(), "upstream")));
    if (v.kind !== "violated") expect.unreachable("upstream must share silently");
    expect(v.property).toBe("NoUndeclaredSharing");
    expect(
      v.trace.steps
        .map((s) => s.action)
        .slice(1)
        .sort(),
    ).toEqual(["CellCreate(linux)", "CellCreate(rt-bare-metal)"]);
  });

  it("refuses the second cell under strict semantics, so the invariants hold", () => {
    expect(checkModel(resourceOwnership(ownershipSpec(overlappingExample(), "strict"))).kind).toBe("holds");
  });

  it("must-fail twin: a create that leaves the CPUs with the root breaks CpuOwnedByOneCell at once", () => {
    const v = checkModel(
      resourceOwnership({ ...ownershipSpec(loadExampleSet("x86"), "upstream"), bugCreateKeepsRootCpus: true }),
    );
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("CpuOwnedByOneCell");
    expect(v.trace.steps).toHaveLength(2);
    expect(v.trace.steps[1]?.action).toMatch(/^CellCreate\(/);
  });
});
