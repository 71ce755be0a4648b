/**
 * `warden explore irq`: the legacy shared line against the MSI design with each validation
 * choice. Each property of each design is one exhaustive check of its model (LegacyIrq or
 * VirtioMsi on the same constants), with the shortest counterexample; the cost of each design
 * is measured on the core's virtio unit over the same event sequences ({@link irqScenarios}).
 */
import type { IrqDesign } from "../../hypervisor/index.js";
import { legacyIrq, type Model, type MsiValidation, virtioMsi } from "../../models/index.js";
import { checkModel } from "../explicit/index.js";
import type { Trace } from "../explicit/Verdict.js";
import {
  type IrqRun,
  type IrqScenario,
  type IrqSystem,
  irqScenarios,
  irqSystem,
  runIrqScenario,
} from "./irqScenarios.js";

export interface IrqDesignInfo {
  readonly name: IrqDesign;
  readonly summary: string;
}

export const irqDesignCatalogue: readonly IrqDesignInfo[] = [
  {
    name: "legacy",
    summary: "one line through the interrupt controller; the guest reads and acknowledges InterruptStatus",
  },
  { name: "trapped", summary: "MSI; every address/data write traps and is validated (MSI-X emulation today)" },
  {
    name: "delivery",
    summary: "MSI; address/data untrapped, the entry re-read and validated at each unmask and delivery",
  },
  { name: "unmask", summary: "MSI; address/data untrapped, validated only at unmask (the cheap ordering)" },
];

export const irqProperties = [
  {
    name: "NoLostInterrupt",
    doc: "every event is eventually delivered, or stays pending while masked (liveness, weak fairness of delivery)",
  },
  { name: "NoSpuriousDelivery", doc: "every delivery answers an event the device raised" },
  { name: "DeliveredOnlyInOwningCell", doc: "no interrupt reaches a CPU outside the device's cell" },
  { name: "VectorsInRange", doc: "no handler indexes a vector table out of range" },
] as const;

export interface IrqCell {
  readonly design: IrqDesign;
  readonly property: string;
  readonly verdict: "holds" | "violated" | "incomplete";
  readonly length?: number;
  readonly trace?: Trace;
  readonly states: number;
}

export interface IrqSystemShape {
  readonly cells: readonly string[];
  readonly cpusPerCell: number;
  readonly vectors: number;
}

export const defaultIrqShape: IrqSystemShape = { cells: ["a"], cpusPerCell: 2, vectors: 2 };

export function irqDesignModel(design: IrqDesign, shape: IrqSystemShape): Model {
  return design === "legacy" ? legacyIrq(shape) : virtioMsi({ ...shape, validation: design as MsiValidation });
}

export interface IrqExploration {
  readonly cells: readonly IrqCell[];
  readonly runs: readonly IrqRun[];
}

export function exploreIrq(
  designs: readonly IrqDesign[],
  shape: IrqSystemShape = defaultIrqShape,
  scenarios: readonly IrqScenario[] = irqScenarios,
  onCell?: (c: IrqCell) => void,
  system: IrqSystem = irqSystem,
): IrqExploration {
  const cells: IrqCell[] = [];
  for (const design of designs) {
    const model = irqDesignModel(design, shape);
    for (const property of irqProperties) {
      const cell = checkProperty(model, design, property.name);
      cells.push(cell);
      onCell?.(cell);
    }
  }
  const runs = designs.flatMap((d) => scenarios.map((s) => runIrqScenario(s, d, system)));
  return { cells, runs };
}

/** One property (NoLostInterrupt: every per-vector instance) of one design's model. */
function checkProperty(model: Model, design: IrqDesign, name: string): IrqCell {
  const only: Model = {
    ...model,
    invariants: model.invariants.filter((i) => i.name === name),
    properties: model.properties.filter((p) => p.name === name || p.name.startsWith(`${name}_`)),
  };
  const v = checkModel(only, { checkDeadlock: false });
  const base = { design, property: name, states: v.stats.distinctStates };
  if (v.kind === "holds") return { ...base, verdict: "holds" };
  if (v.kind === "incomplete") return { ...base, verdict: "incomplete" };
  return { ...base, verdict: "violated", length: v.trace.steps.length, trace: v.trace };
}
