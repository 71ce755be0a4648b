import { nestedEptSequence } from "../../generators/index.js";
import { and, apply, Ex, type Fn, field, lit, nestedEpt, not, or, type Value } from "../../models/index.js";
import { compileModel } from "../explicit/compileModel.js";
import { checkModel } from "../explicit/index.js";
import { enabledSteps } from "../refinement/modelSteps.js";

/**
 * The nested-EPT validation protocol as a Mermaid sequence diagram, generated from NestedEpt
 * (two CPUs): the checker's shortest behaviour to a trapped write that breaks an EPT a nested
 * guest runs on, continued by the hypervisor's kick and the delayed write.
 */
export function nestedEptDiagram(): string {
  const model = nestedEpt({ cpus: 2, largePages: 1, shrink: false, writes: 1 });
  const v = <T>(name: string) => new Ex<T>({ k: "var", name });
  const runsOnInvalid = (c: string) => {
    const e = apply(v<Fn<string, number>>("run"), lit(c));
    return and(e.neq(-1), apply(v<Fn<number, string>>("known"), e).eq("invalid"));
  };
  const target = and(
    field(v<{ st: string }>("pend"), "st").eq("declared"),
    or(runsOnInvalid("c1"), runsOnInvalid("c2")),
  );
  const witness = checkModel(
    { ...model, invariants: [{ name: "NoBrokenRun", doc: "witness search", p: not(target).node }], properties: [] },
    { checkDeadlock: false },
  );
  if (witness.kind !== "violated") throw new Error("NestedEpt: no trapped write ever breaks a running EPT");
  const steps = [...witness.trace.steps];
  const cm = compileModel(model);
  // The hypervisor's side from there: kick every CPU on the broken EPT, then execute the write.
  for (const next of ["HvKick", "HvKick", "HvFinishWrite"]) {
    const last = steps[steps.length - 1]?.values as readonly Value[];
    const step = enabledSteps(cm, last).find((s) => s.action === next);
    if (!step) continue;
    const args = Object.values(step.params).map((p) => (typeof p === "object" ? "…" : String(p)));
    steps.push({ action: args.length ? `${next}(${args.join(", ")})` : next, values: step.next });
  }
  return nestedEptSequence({ ...witness.trace, steps });
}
