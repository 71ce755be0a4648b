/**
 * `warden prove --model`: for one model with fixed parameters, bounded model checking to a depth
 * (depth 0 is `Init => P`) and the induction analysis of every state predicate.
 */
import type { Model, Value } from "../../models/index.js";
import { SolverIncomplete } from "../isolation/z3.js";
import { type BmcResult, boundedCheck } from "./bmc.js";
import { analyseInduction, type InductionVerdict } from "./induction.js";
import { ModelEncoding } from "./modelEncoding.js";

export interface ModelProof {
  readonly model: string;
  readonly vars: readonly string[];
  readonly predicates: readonly InductionVerdict[];
  readonly bmc: BmcResult;
  readonly ms: { readonly induction: number; readonly bmc: number };
  /**
   * Set when a query got no whole answer from Z3 (the reason): the verdicts gathered before it are
   * kept, the rest are missing, and the proof counts as failed, never as holding.
   */
  readonly unknown?: string;
}

export interface ProveModelOptions {
  /** BMC depth (transitions); 0 checks only the initial states. */
  readonly bmc?: number;
  readonly constants?: ReadonlyMap<string, Value>;
}

export async function proveModel(model: Model, options: ProveModelOptions = {}): Promise<ModelProof> {
  const enc = new ModelEncoding(model, options.constants);
  const bound = options.bmc ?? 0;
  const bmc = await incompleteAs(boundedCheck(enc, bound));
  if (typeof bmc === "string") {
    const none = { bound, violations: [], scripts: [], ms: 0 };
    return { model: model.name, vars: enc.vars, predicates: [], bmc: none, ms: { induction: 0, bmc: 0 }, unknown: bmc };
  }
  const initiallyFalse = new Set(bmc.violations.filter((v) => v.depth === 0).map((v) => v.name));
  const started = performance.now();
  const predicates = await incompleteAs(analyseInduction(enc, initiallyFalse));
  const ms = { induction: Math.round(performance.now() - started), bmc: bmc.ms };
  if (typeof predicates === "string")
    return { model: model.name, vars: enc.vars, predicates: [], bmc, ms, unknown: predicates };
  return {
    model: model.name,
    vars: enc.vars,
    predicates,
    bmc,
    ms: { induction: Math.round(performance.now() - started), bmc: bmc.ms },
  };
}

/** The result, or the reason when Z3 gave no whole answer to one of its queries. */
async function incompleteAs<T>(work: Promise<T>): Promise<T | string> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SolverIncomplete) return error.reason;
    throw error;
  }
}
