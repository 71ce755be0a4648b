import { describe, expect, it } from "vitest";
import { findModel } from "../../models/index.js";

describe("the model registry", () => {
  it("finds the Jailhouse models by their short names as well as their own", () => {
    expect(findModel("lifecycle")?.name).toBe("CellLifecycle");
    expect(findModel("ownership")?.name).toBe("ResourceOwnership");
    expect(findModel("celllifecycle")?.name).toBe("CellLifecycle");
    expect(findModel("vote")?.name).toBe("ManagementVote");
    expect(findModel("nested")?.name).toBe("NestedEpt");
    expect(findModel("votes")).toBeUndefined();
  });
});
