export { type ActionCoverage, COVERAGE_STATE_LIMIT } from "./actionCoverage.js";
export { bindings, lifecycleBinding, type ModelBinding, ownershipBinding } from "./bindings.js";
export { type ConformOptions, type ConformReport, conform, type ModelTrace } from "./conform.js";
export { builtinImplementation, type CoreModule, coreImplementation } from "./coreImplementation.js";
export {
  type AbstractState,
  type Command,
  describeCommand,
  type Implementation,
  type ImplementationFactory,
} from "./implementation.js";
export {
  conformNestedEpt,
  type NestedConformReport,
  type NestedDeparture,
  nestedEptBoundParams,
  nestedMutantBudget,
} from "./nestedEptConform.js";
export type { NestedCore } from "./nestedEptSystem.js";
export { type ProcessImplementation, processImplementation } from "./processImplementation.js";
export { type ReplayReport, replay } from "./replay.js";
export { serveCore } from "./serveCore.js";
export type { Departure } from "./stepCheck.js";
export { boundVirtioCell, PROBE_DEVICE, virtioBinding, withVirtioDevice } from "./virtioBinding.js";
export {
  conformVirtioMsi,
  type MsiConformOptions,
  type MsiConformReport,
  type MsiDeparture,
  type MsiOp,
  modelSteps,
  type VirtioCore,
  virtioMutantBudget,
} from "./virtioMsiConform.js";
