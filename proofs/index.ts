/** The public surface of `proofs/`: evidence producers and the pipeline stages the CLI chains. */

export * from "./audit/index.js";
export * from "./check/index.js";
export * from "./csource/index.js";
export { type DiagnosticCode, diagnosticCodes } from "./diagnostics/codes.js";
export { formatDiagnostic } from "./diagnostics/formatDiagnostic.js";
export { InputError, inputError } from "./diagnostics/InputError.js";
export { refuseInputs, refuseSharedOutputs } from "./diagnostics/refuseInputs.js";
export * from "./dossier/index.js";
export * from "./explicit/index.js";
export * from "./explore/index.js";
export * from "./induction/index.js";
export { configFacts } from "./instantiate/configFacts.js";
export { ownershipSpec } from "./instantiate/ownershipSpec.js";
export * from "./isolation/index.js";
export { incompleteAnswer, type Outcome, SolverIncomplete, solveOrUnknown, solverCounts } from "./isolation/z3.js";
export { packageRoot, version } from "./packageRoot.js";
export * from "./pipeline/index.js";
export * from "./refinement/index.js";
export * from "./sim/index.js";
export * from "./tlc/index.js";
export {
  buildHarness,
  type DiffReport,
  diffCore,
  harnessProcess,
  INTENTIONAL_DIFFERENCES,
  UPSTREAM_SERVED_MODELS,
  upstreamImplementation,
  upstreamSource,
} from "./upstream/index.js";
