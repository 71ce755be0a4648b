/** Z3 induction and bounded model checking of kernel models for fixed parameters. */
export type { BmcResult, BmcTrace, BmcViolation } from "./bmc.js";
export { firstCounterexample, formatModelProof, modelProofJson, obligationFiles, proofFailed } from "./formatProof.js";
export type { Cti, InductionQuery, InductionVerdict } from "./induction.js";
export { ModelEncoding, type StatePredicate } from "./modelEncoding.js";
export { type ModelProof, type ProveModelOptions, proveModel } from "./proveModel.js";
export { explicitEnabled, explicitEval, explicitHolds } from "./revalidate.js";
export { type SmtEvaluation, smtEvaluate } from "./smtEvaluate.js";
export { EncodingError } from "./sym.js";
