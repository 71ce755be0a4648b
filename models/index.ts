/** The public surface of `models/`: the modelling kernel and the models written on it. */

export { type CellState, cellLifecycle, cellStates, type LifecycleParams } from "./jailhouse/cellLifecycle.js";
export { legacyIrq } from "./jailhouse/legacyIrq.js";
export { managementVote, type VoteParams } from "./jailhouse/managementVote.js";
export { type NestedEptBug, type NestedEptParams, nestedEpt, nestedEptBugs } from "./jailhouse/nestedEpt.js";
export { nestedIsolationLemmas } from "./jailhouse/nestedEptInvariants.js";
export { type OwnershipSpec, resourceOwnership } from "./jailhouse/resourceOwnership.js";
export { virtioMsi } from "./jailhouse/virtioMsi.js";
export {
  type MsiBug,
  type MsiParams,
  type MsiValidation,
  msiBugs,
  msiCpus,
  msiValidations,
} from "./jailhouse/virtioMsiDesign.js";
export { upstreamFaults, type VoteFaults, type VoteProtocol } from "./jailhouse/voteDesign.js";
export * from "./kernel/index.js";
export {
  type ConfigFacts,
  cappedPolls,
  findModel,
  type ModelEntry,
  ModelParamError,
  modelRegistry,
  voteTimeoutCap,
} from "./registry.js";
