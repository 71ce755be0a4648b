export { describeWitness } from "./describeWitness.js";
export { type Interval, type Overlap, type Ref, sweepOverlaps } from "./intervals.js";
export { type ObligationResult, proveIsolation, type Witness } from "./proveIsolation.js";
export { type Rule, rules } from "./rules.js";
export { readSharingPolicy, type SharingDeclaration } from "./sharingPolicy.js";
export { disjointObligation } from "./smtDisjoint.js";
export { runSmt, solve, z3Version } from "./z3.js";
