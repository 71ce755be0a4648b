export {
  type BuildOptions,
  type BuiltHarness,
  buildHarness,
  harnessSourceDir,
  UPSTREAM_CORE_FILES,
  upstreamCommit,
  upstreamSource,
} from "./buildHarness.js";
export { type HarnessObservation, type HarnessProcess, harnessProcess } from "./harnessProcess.js";
export {
  UPSTREAM_SERVED_MODELS,
  type UpstreamImplementation,
  upstreamImplementation,
} from "./upstreamImplementation.js";
