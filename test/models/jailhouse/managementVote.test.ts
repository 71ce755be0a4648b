import { describe, expect, it } from "vitest";
import { managementVote, showValue, type Value, type VoteParams } from "../../../models/index.js";
import { checkModel, configFacts, loadExampleSet, resolveModels, voteDiagram } from "../../../proofs/index.js";

const exampleShape: VoteParams = { cells: ["rt", "linux"], passive: ["linux"], timeout: { rt: 2 }, silent: [] };

/** Values of variable `name` along a trace, shown as TLA+ text. */
const column = (trace: { vars: readonly string[]; steps: readonly { values: readonly Value[] }[] }, name: string) =>
  trace.steps.map((s) => showValue(s.values[trace.vars.indexOf(name)] as Value));

describe("ManagementVote", () => {
  it("is instantiated from the example configuration: list order, passive cells, capped reply timeouts", () => {
    const [r] = resolveModels(["vote"], {}, configFacts(loadExampleSet("x86")));
    const consts = Object.fromEntries((r?.model.constants ?? []).map((c) => [c.name, showValue(c.value)]));
    expect(consts).toEqual({
      Cells: "{linux, rt-bare-metal}",
      Passive: "{linux}",
      Silent: "{}",
      Safety: "{}",
      Quorum: "0",
      Rank: "(linux :> 2 @@ rt-bare-metal :> 1)",
      Timeout: "(linux :> 0 @@ rt-bare-metal :> 2)",
    });
  });

  it("keeps S1-S4, S6, S7, S9 and both liveness properties on the example system", () => {
    const [r] = resolveModels(["vote"], {}, configFacts(loadExampleSet("x86")));
    const v = checkModel(r?.model ?? expect.unreachable());
    expect(v.kind).toBe("holds");
    expect(v.stats.distinctStates).toBe(1480);
  });

  it("reaches every kind of consent and every call outcome, so the invariants are not vacuous", () => {
    const model = managementVote(exampleShape);
    const seen = new Set<string>();
    const at = (vals: readonly Value[], name: string) =>
      showValue(vals[model.variables.findIndex((x) => x.name === name)] as Value);
    checkModel(model, {
      onTransition: (_from, _action, to) => {
        seen.add(`consent=${at(to, "consent")}`);
        seen.add(`result=${at(to, "result")}`);
        if (at(to, "lockedAtCheck") === "TRUE") seen.add("locked at check");
      },
    });
    for (const s of ["approved", "declared", "timeout", "passive"]) expect(seen).toContain(`consent=${s}`);
    expect(seen).toContain("result=EPERM");
    expect(seen).toContain("locked at check");
    expect(seen).not.toContain("consent=none");
  });

  it("hangs the root when an active cell without timeout halts in FAILED_COMM_REV (semantics L3)", () => {
    const v = checkModel(managementVote({ ...exampleShape, timeout: {} }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.propertyKind).toBe("temporal");
    expect(v.trace.loop).toBeDefined();
    const last = v.trace.steps.length - 1;
    expect(column(v.trace, "cstate")[last]).toContain("rt :> FCR");
    expect(column(v.trace, "msg")[last]).toContain("rt :> SHUTDOWN");
    expect(column(v.trace, "rootSuspended")[last]).toBe("TRUE");
  });

  it("hangs the root on a silent cell even when no cell halts (semantics L1, CallsReturn alone)", () => {
    const model = managementVote({ ...exampleShape, timeout: {}, silent: ["rt"] });
    const v = checkModel(model, { properties: ["CallsReturn"] });
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("CallsReturn");
    expect(column(v.trace, "pc").at(-1)).not.toBe("idle");
  });

  it("lets a cell lock between the lock check and the commit of a destroy (semantics L7, design property)", () => {
    const v = checkModel(managementVote({ ...exampleShape, design: true }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("LockHeldAtCommit");
    const actions = v.trace.steps.map((s) => s.action);
    const destroy = actions.findLastIndex((a) => a.startsWith("CellDestroy("));
    const lock = actions.findLastIndex((a) => a.startsWith("CellLocks("));
    expect(destroy).toBeGreaterThan(0);
    expect(lock).toBeGreaterThan(destroy);
    expect(actions.at(-1)).toBe("HypervisorPolls");
  });

  it("must-fail twin: posting without clearing the reply lets the hypervisor read a stale answer (S7)", () => {
    const v = checkModel(managementVote({ ...exampleShape, bugStaleReply: true }));
    if (v.kind !== "violated") expect.unreachable();
    expect(v.property).toBe("ChannelDiscipline");
    const last = v.trace.steps.length - 1;
    expect(v.trace.steps[last]?.action).toMatch(/^Cell(Start|SetLoadable|Destroy)\(rt\)$|^HypervisorBroadcasts$/);
    expect(column(v.trace, "reply")[last]).toMatch(/rt :> (DENIED|UNKNOWN|RECEIVED)/);
    expect(column(v.trace, "fresh")[last]).toContain("rt :> FALSE");
    expect(checkModel(managementVote(exampleShape)).kind).toBe("holds");
  });
});

describe("the vote sequence diagram", () => {
  it("is generated from the model: a request, an approval, a commit and the return", () => {
    const mermaid = voteDiagram(managementVote(exampleShape));
    expect(mermaid).toMatch(/^sequenceDiagram\n {2}participant root as root CPU\n {2}participant hv as hypervisor/);
    const order = ["hv->>c_rt: SHUTDOWN_REQUEST", "c_rt-->>hv: APPROVED", "approved:", "hv-->>root: 0"];
    const positions = order.map((s) => mermaid.lastIndexOf(s));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
