export {
  type BuildOptions,
  type BuiltHarness,
  buildHarness,
  harnessSourceDir,
  UPSTREAM_CORE_FILES,
  upstreamCommit,
  upstreamSource,
} from "./buildHarness.js";
export { commandSpace, type DiffOptions, type DiffReport, diffCore } from "./diffCore.js";
export { type HarnessObservation, type HarnessProcess, harnessProcess } from "./harnessProcess.js";
export { INTENTIONAL_DIFFERENCES, type IntentionalDifference } from "./intentionalDifferences.js";
export { firstDifference, fromCore, fromHarness, type Observation, type ObservedDivergence } from "./observation.js";
export {
  UPSTREAM_SERVED_MODELS,
  type UpstreamImplementation,
  upstreamImplementation,
} from "./upstreamImplementation.js";
