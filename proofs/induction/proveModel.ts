/**
 * `warden prove --model`: for one model with fixed parameters, bounded model checking to a depth
 * (depth 0 is `Init => P`) and the induction analysis of every state predicate.
 */
import type { Model, Value } from "../../models/index.js";
import { type BmcResult, boundedCheck } from "./bmc.js";
import { analyseInduction, type InductionVerdict } from "./induction.js";
import { ModelEncoding } from "./modelEncoding.js";

export interface ModelProof {
  readonly model: string;
  readonly vars: readonly string[];
  readonly predicates: readonly InductionVerdict[];
  readonly bmc: BmcResult;
  readonly ms: { readonly induction: number; readonly bmc: number };
}

export interface ProveModelOptions {
  /** BMC depth (transitions); 0 checks only the initial states. */
  readonly bmc?: number;
  readonly constants?: ReadonlyMap<string, Value>;
}

export async function proveModel(model: Model, options: ProveModelOptions = {}): Promise<ModelProof> {
  const enc = new ModelEncoding(model, options.constants);
  const bmc = await boundedCheck(enc, options.bmc ?? 0);
  const initiallyFalse = new Set(bmc.violations.filter((v) => v.depth === 0).map((v) => v.name));
  const started = performance.now();
  const predicates = await analyseInduction(enc, initiallyFalse);
  return {
    model: model.name,
    vars: enc.vars,
    predicates,
    bmc,
    ms: { induction: Math.round(performance.now() - started), bmc: bmc.ms },
  };
}
