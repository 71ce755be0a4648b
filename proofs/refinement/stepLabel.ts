/** The label action coverage counts a model step under: its action, outcome parameters and predicted result. */
import type { CompiledModel } from "../explicit/compileModel.js";
import type { ModelBinding } from "./bindings.js";
import type { ModelStep } from "./modelSteps.js";

/** Parameters that name a cell, CPU or pin: which one does not make a different outcome. */
const IDENTITY = new Set(["c", "cpu", "irq"]);

/** The action with its outcome parameters: `CellStart(approve)`. */
function outcomeOf(step: ModelStep): string {
  const outcome = Object.entries(step.params)
    .filter(([name, v]) => !IDENTITY.has(name) && (typeof v !== "object" || v === null))
    .map(([, v]) => String(v));
  return `${step.action}${outcome.length > 0 ? `(${outcome.join(", ")})` : ""}`;
}

/** A step's label: the action, its outcome parameters and the result the model predicts. */
export function stepLabel(binding: ModelBinding, cm: CompiledModel, step: ModelStep): string | undefined {
  const command = binding.command(step);
  if (!command) return undefined;
  const result = [binding.expected(cm.varNames, step.next, command).result]
    .flat()
    // CPU numbers in results ("delivered to 2") name the CPU, not a different outcome; values (get-state) are outcomes.
    .map((r) => (/[a-z]/.test(r) ? r.replace(/\d+/g, "N") : r))
    .join(" or ");
  return `${outcomeOf(step)} → ${result}`;
}
