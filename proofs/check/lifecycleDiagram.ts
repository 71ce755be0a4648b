import { projectedStateDiagram, type Transition } from "../../generators/index.js";
import type { Model, Value } from "../../models/index.js";
import { showValue } from "../../models/index.js";
import { applyValue } from "../explicit/compile.js";
import { checkModel } from "../explicit/index.js";

/**
 * The cell lifecycle as a Mermaid state diagram, derived from the reachable state graph of a
 * CellLifecycle model: every change of any cell's state, labelled with the operations causing it.
 */
export function lifecycleDiagram(model: Model): string {
  const stateIndex = model.variables.findIndex((v) => v.name === "state");
  const cells = model.constants.find((c) => c.name === "Cells")?.value;
  if (stateIndex < 0 || typeof cells !== "object" || cells.kind !== "set") {
    throw new Error(`${model.name} has no per-cell state variable`);
  }
  const transitions: Transition[] = [];
  const initial: string[] = [];
  const of = (vals: readonly Value[], cell: Value) => showValue(applyValue(vals[stateIndex] as Value, cell));
  checkModel(model, {
    checkDeadlock: false,
    onTransition: (from, action, to) => {
      for (const cell of cells.elems) {
        transitions.push({ from: of(from, cell), to: of(to, cell), action });
      }
    },
  });
  initial.push("absent");
  return projectedStateDiagram(
    initial,
    transitions,
    `${model.name}: one non-root cell, derived from the reachable state graph`,
  );
}
