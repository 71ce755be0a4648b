export { describeWitness } from "./describeWitness.js";
export { type Interval, type Overlap, type Ref, sweepOverlaps } from "./intervals.js";
export {
  type ObligationPart,
  type ObligationResult,
  type ProveOptions,
  proveIsolation,
  type Witness,
} from "./proveIsolation.js";
export { type Rule, rules } from "./rules.js";
export { readSharingPolicy, type SharingDeclaration } from "./sharingPolicy.js";
export { disjointObligation } from "./smtDisjoint.js";
export { overlapScript, type Window, windowsOf } from "./smtOverlap.js";
export { solveObligation } from "./solveObligation.js";
export { runSmt, solve, z3Version } from "./z3.js";
