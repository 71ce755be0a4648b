import { describe, expect, it } from "vitest";
import type { ConfigSet } from "../../../hypervisor/index.js";
import type { Value } from "../../../models/index.js";
import { compileModel } from "../../../proofs/explicit/compileModel.js";
import {
  builtinImplementation,
  type Implementation,
  loadExampleSet,
  type ModelBinding,
  ownershipBinding,
} from "../../../proofs/index.js";
import { initialStates } from "../../../proofs/refinement/modelSteps.js";
import { checkStep } from "../../../proofs/refinement/stepCheck.js";
import { voteBinding } from "../../../proofs/refinement/voteBinding.js";

/** The x86 example with rt-bare-metal taking IOAPIC pin 4 and linux pin 5 from the root cell. */
function withPins(): ConfigSet {
  const set = loadExampleSet("x86");
  const chip = set.system.config.root_cell.irqchips[0];
  if (!chip) throw new Error("the x86 example lost its IOAPIC");
  const pin = (n: number) => ({ ...chip, pin_base: 0, pin_bitmap: [1 << n, 0, 0, 0] as const });
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("the x86 example changed");
  return {
    ...set,
    cells: [
      { ...rt, config: { ...rt.config, irqchips: [pin(4)] } },
      { ...linux, config: { ...linux.config, irqchips: [pin(5)] } },
    ],
  };
}

/** Walks model and core side by side through named steps; every step must conform. */
function walk(binding: ModelBinding, mode: "upstream" | "strict" = "upstream", set = loadExampleSet("x86")) {
  const cm = compileModel(binding.model(set, mode));
  const impl: Implementation = builtinImplementation(set, mode);
  let state = initialStates(cm)[0] as Value[];
  let index = 0;
  const get = (name: string) => state[cm.varNames.indexOf(name)];
  return {
    impl,
    get,
    async take(action: string, params: Record<string, Value> = {}): Promise<string> {
      const steps = binding.steps?.(cm, state) ?? [];
      const step = steps.find(
        (s) => s.action === action && Object.entries(params).every(([k, v]) => s.params[k] === v),
      );
      if (!step) throw new Error(`${action} ${JSON.stringify(params)} is not a step here`);
      const command = binding.command(step);
      if (!command) throw new Error(`${action} has no command`);
      const outcome = await checkStep(impl, binding, cm.varNames, step.next, command, ++index);
      expect(outcome, JSON.stringify(outcome)).toEqual({ kind: "conforms" });
      state = step.next as Value[];
      return [binding.expected(cm.varNames, step.next, command).result].flat().join(" or ");
    },
  };
}

describe("ManagementVote binding, poll by poll", () => {
  it("a cell that denies and then crashes before the poll is stopped anyway: the state is tested first", async () => {
    const w = walk(voteBinding);
    expect(await w.take("CellCreate", { c: "rt-bare-metal" })).toBe("ok");
    expect(await w.take("CellStart", { c: "rt-bare-metal" })).toBe("ok");
    // destroy asks rt and waits: one poll spun, the reply timeout (100000 polls) is one model poll from expiring.
    expect(await w.take("CellDestroy", { c: "rt-bare-metal" })).toBe("waiting");
    expect([w.get("pc"), w.get("peer"), w.get("budget")]).toEqual(["vote", "rt-bare-metal", 1]);
    const exchange = (await w.impl.abstractState()).exchange;
    expect(exchange?.call?.waiting).toMatchObject({ message: "SHUTDOWN_REQUEST", pollsLeft: 99999 });
    await w.take("CellAnswers", { c: "rt-bare-metal", r: "DENIED" });
    await w.take("CellDeclares", { c: "rt-bare-metal", s: "FL" });
    expect(await w.take("HypervisorPolls")).toBe("ok");
    expect(w.get("pc")).toBe("idle");
  });

  it("a silent cell times out on the expiring poll, is FAILED, and the destroy goes on", async () => {
    const w = walk(voteBinding);
    await w.take("CellCreate", { c: "rt-bare-metal" });
    await w.take("CellStart", { c: "rt-bare-metal" });
    await w.take("CellDestroy", { c: "rt-bare-metal" });
    expect(await w.take("HypervisorPolls", { expire: true })).toBe("ok");
    expect((await w.impl.abstractState()).cells["rt-bare-metal"]).toBe("absent");
  });

  it("a running cell silent to the RECONFIG_COMPLETED broadcast after a create is FAILED on its timeout", async () => {
    const w = walk(voteBinding);
    await w.take("CellCreate", { c: "rt-bare-metal" });
    await w.take("CellStart", { c: "rt-bare-metal" });
    expect(await w.take("CellCreate", { c: "linux" })).toBe("waiting");
    expect([w.get("pc"), w.get("peer")]).toEqual(["bpoll", "rt-bare-metal"]);
    expect(await w.take("HypervisorPolls", { expire: true })).toBe("ok");
    expect((await w.impl.abstractState()).cells["rt-bare-metal"]).toBe("FL");
  });

  it("a lock taken during the broadcast does not stop it; a lock at the check refuses the next create", async () => {
    const w = walk(voteBinding);
    await w.take("CellCreate", { c: "rt-bare-metal" });
    await w.take("CellStart", { c: "rt-bare-metal" });
    expect(await w.take("CellCreate", { c: "linux" })).toBe("waiting");
    expect([w.get("pc"), w.get("peer")]).toEqual(["bpoll", "rt-bare-metal"]);
    await w.take("CellLocks", { c: "rt-bare-metal" });
    await w.take("CellAnswers", { c: "rt-bare-metal", r: "RECEIVED" });
    expect(await w.take("HypervisorPolls")).toBe("ok");
    expect(await w.take("CellDestroy", { c: "linux" })).toBe("EPERM");
  });

  it("creates cells only in configuration order, the model's broadcast order", () => {
    const set = loadExampleSet("x86");
    const cm = compileModel(voteBinding.model(set, "upstream"));
    const init = initialStates(cm)[0] as Value[];
    const afterLinux = voteBinding.steps?.(cm, init).find((s) => s.action === "CellCreate" && s.params.c === "linux");
    expect(afterLinux).toBeDefined();
    const creates = voteBinding.steps?.(cm, afterLinux?.next ?? []).filter((s) => s.action === "CellCreate") ?? [];
    expect(creates).toEqual([]);
  });
});

describe("IPIs in the ownership binding", () => {
  it("reach a CPU while the sender holds it, and are dropped once another cell does", async () => {
    const w = walk(ownershipBinding);
    expect(await w.take("RootSendsIpi", { cpu: 2 })).toBe("delivered to 2");
    await w.take("CellCreate", { c: "rt-bare-metal" });
    expect(await w.take("RootSendsIpi", { cpu: 2 })).toBe("dropped");
    expect(await w.impl.perform({ op: "ipi", cell: "root", target: 2 })).toBe("dropped");
    expect(await w.impl.perform({ op: "ipi", cell: "root", target: 1 })).toBe("delivered to 1");
  });

  it("routes a root pin to a root CPU, never to a CPU another cell holds, and not a pin root gave away", async () => {
    const w = walk(ownershipBinding, "upstream", withPins());
    expect(await w.take("RootRoutesIrq", { irq: "0xfec00000:5", cpu: 2 })).toBe("routed to 2");
    await w.take("CellCreate", { c: "rt-bare-metal" });
    expect(await w.take("RootRoutesIrq", { irq: "0xfec00000:4", cpu: 1 })).toBe("not routed");
    // x86: an IOAPIC redirection outside the cell is fatal for the routing CPU; the route stays.
    expect(await w.take("RootRoutesIrq", { irq: "0xfec00000:5", cpu: 2 })).toMatch(/^not routed or routed to 0/);
    expect(await w.impl.perform({ op: "route", cell: "root", chip: "0xfec00000", pin: 5, target: 2 })).toBe(
      "not routed",
    );
  });
});
