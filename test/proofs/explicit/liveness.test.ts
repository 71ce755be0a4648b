import { describe, expect, it } from "vitest";
import { checkModel } from "../../../proofs/index.js";
import { applyIn, peterson } from "./petersonFixture.js";

describe("temporal properties under fairness", () => {
  it("proves that a waiting Peterson process eventually enters", () => {
    expect(checkModel(peterson(), { properties: ["WaitingProcessEnters"] }).kind).toBe("holds");
  });

  it("finds a fair lasso in which process 0 never enters again", () => {
    const v = checkModel(peterson(), { properties: ["AlwaysEventuallyEnters"] });
    if (v.kind !== "violated") expect.unreachable("the property must fail");
    const loop = v.trace.loop ?? expect.unreachable("a liveness counterexample is a lasso");
    const cycle = v.trace.steps.slice(loop);
    expect(cycle.length).toBeGreaterThan(0);
    expect(cycle.every((s) => applyIn(s.values[0], 0) !== "cs")).toBe(true);
  });

  it("reports the must-fail twin's mutual-exclusion violation before any temporal property", () => {
    const v = checkModel(peterson({ bug: true }));
    expect(v.kind === "violated" && v.property).toBe("MutualExclusion");
  });
});
