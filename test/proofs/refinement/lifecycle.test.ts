import { describe, expect, it } from "vitest";
import { type Value, valuesEqual } from "../../../models/index.js";
import { compileModel } from "../../../proofs/explicit/compileModel.js";
import { builtinImplementation, lifecycleBinding, loadExampleSet } from "../../../proofs/index.js";
import { enabledSteps, initialStates } from "../../../proofs/refinement/modelSteps.js";
import { checkStep } from "../../../proofs/refinement/stepCheck.js";

const silent = (...cells: string[]): Value => ({ kind: "set", elems: cells.sort() });

/** Walks CellLifecycle and the core side by side through named steps on the x86 example. */
function walk() {
  const set = loadExampleSet("x86");
  const cm = compileModel(lifecycleBinding.model(set, "upstream"));
  const impl = builtinImplementation(set, "upstream");
  let state = initialStates(cm)[0] as Value[];
  let index = 0;
  const cells = () => {
    const fn = state[cm.varNames.indexOf("state")];
    return fn && typeof fn === "object" && fn.kind === "function"
      ? Object.fromEntries(fn.domain.map((k, i) => [String(k), String(fn.values[i])]))
      : {};
  };
  return {
    cells,
    /** The model's successors of a step with these parameters. */
    successors: (action: string, params: Record<string, Value>) =>
      enabledSteps(cm, state).filter(
        (s) => s.action === action && Object.entries(params).every(([k, v]) => valuesEqual(s.params[k] as Value, v)),
      ),
    async take(action: string, params: Record<string, Value>) {
      const step = this.successors(action, params)[0];
      if (!step) throw new Error(`${action} ${JSON.stringify(params)} is not a step here`);
      const command = lifecycleBinding.command(step);
      if (!command) throw new Error(`${action} has no command`);
      const outcome = await checkStep(impl, lifecycleBinding, cm.varNames, step.next, command, ++index);
      state = step.next as Value[];
      return outcome;
    },
  };
}

describe("CellLifecycle: the RECONFIG_COMPLETED broadcast after create and destroy", () => {
  it("fails a running cell that times out on the broadcast (issue #16's four-step departure)", async () => {
    const w = walk();
    expect(await w.take("CellCreate", { c: "rt-bare-metal" })).toEqual({ kind: "conforms" });
    expect(await w.take("CellStart", { c: "rt-bare-metal", vote: "approve" })).toEqual({ kind: "conforms" });
    expect(await w.take("CellStart", { c: "rt-bare-metal", vote: "timeout" })).toEqual({ kind: "conforms" });
    expect(w.cells()["rt-bare-metal"]).toBe("RUN");
    // The model offers both: rt answers the broadcast, or stays silent and is failed on its timeout.
    expect(w.successors("CellCreate", { c: "linux" })).toHaveLength(1);
    const unanswered = w.successors("CellCreateUnanswered", { c: "linux" });
    expect(unanswered.map((s) => s.params.silent)).toEqual([silent("rt-bare-metal")]);
    const step = { c: "linux", silent: silent("rt-bare-metal") };
    expect(await w.take("CellCreateUnanswered", step)).toEqual({ kind: "conforms" });
    expect(w.cells()).toEqual({ linux: "SD0", "rt-bare-metal": "FL" });
  });

  it("keeps an answering cell running, and fails a cell silent to the broadcast after a destroy", async () => {
    const w = walk();
    await w.take("CellCreate", { c: "rt-bare-metal" });
    await w.take("CellStart", { c: "rt-bare-metal", vote: "approve" });
    expect(await w.take("CellCreate", { c: "linux" })).toEqual({ kind: "conforms" });
    expect(w.cells()["rt-bare-metal"]).toBe("RUN");
    const destroy = { c: "linux", vote: "approve", silent: silent("rt-bare-metal") };
    expect(await w.take("CellDestroyUnanswered", destroy)).toEqual({ kind: "conforms" });
    expect(w.cells()).toEqual({ linux: "absent", "rt-bare-metal": "FL" });
  });
});
