/** The explicit-state checker. */
export { type CheckOptions, checkModel } from "./checkModel.js";
export { checkModelParallel, type ParallelOptions } from "./checkParallel.js";
export type { SearchStats, Trace, TraceStep, Verdict } from "./Verdict.js";
