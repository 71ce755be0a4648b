/**
 * `warden explore vote`: every protocol variant against every fault model and property, each
 * cell of the matrix one exhaustive check of one property, so each verdict comes with the
 * shortest counterexample of its own.
 */
import { type Model, managementVote, type VoteParams } from "../../models/index.js";
import { checkModel } from "../explicit/index.js";
import type { Trace } from "../explicit/Verdict.js";
import { type FaultModel, type VoteSystem, type VoteVariant, voteProperties } from "./voteCatalogue.js";

export interface ExploreCell {
  readonly variant: string;
  readonly fault: string;
  readonly property: string;
  /** "n/a": the variant's model does not define this property. */
  readonly verdict: "holds" | "violated" | "incomplete" | "n/a";
  /** States of the shortest counterexample. */
  readonly length?: number;
  readonly trace?: Trace;
  readonly states: number;
  readonly ms: number;
}

export interface ExploreOptions {
  readonly system: VoteSystem;
  readonly variants: readonly VoteVariant[];
  readonly faults: readonly FaultModel[];
  /** Reply timeout in polls that the `timeout` variant gives every voter. */
  readonly timeout: number;
  readonly maxStates?: number;
  readonly onCell?: (cell: ExploreCell) => void;
}

export function exploreVote(o: ExploreOptions): ExploreCell[] {
  const cells: ExploreCell[] = [];
  for (const variant of o.variants) {
    for (const fault of o.faults) {
      const model = variantModel(variant, fault, o.system, o.timeout);
      for (const property of voteProperties) {
        const cell = checkOne(
          model,
          property.model,
          { variant: variant.name, fault: fault.name, property: property.name },
          o.maxStates,
        );
        cells.push(cell);
        o.onCell?.(cell);
      }
    }
  }
  return cells;
}

/** The model of one variant under one fault model, with the design properties and a starvation victim. */
export function variantModel(variant: VoteVariant, fault: FaultModel, system: VoteSystem, timeout: number): Model {
  const params: VoteParams = {
    cells: system.cells,
    passive: system.cells.filter((c) => !system.voters.includes(c)),
    timeout:
      variant.voterTimeout === "explorer"
        ? { ...system.timeout, ...Object.fromEntries(system.voters.map((c) => [c, timeout])) }
        : system.timeout,
    silent: fault.silent ? system.voters : [],
    design: true,
    faults: fault.faults,
    ...(variant.protocol ? { protocol: variant.protocol } : {}),
    ...(system.voters[0] ? { victim: system.voters[0] } : {}),
  };
  return variant.build ? variant.build(params) : managementVote(params);
}

function checkOne(
  model: Model,
  name: string,
  where: Pick<ExploreCell, "variant" | "fault" | "property">,
  maxStates: number | undefined,
): ExploreCell {
  const invariant = model.invariants.find((i) => i.name === name);
  const temporal = model.properties.find((p) => p.name === name);
  if (!invariant && !temporal) return { ...where, verdict: "n/a", states: 0, ms: 0 };
  const only: Model = {
    ...model,
    invariants: invariant ? [invariant] : [],
    properties: temporal ? [temporal] : [],
  };
  const v = checkModel(only, { checkDeadlock: false, ...(maxStates ? { maxStates } : {}) });
  const base = { ...where, states: v.stats.distinctStates, ms: Math.round(v.stats.ms) };
  if (v.kind === "holds") return { ...base, verdict: "holds" };
  if (v.kind === "incomplete") return { ...base, verdict: "incomplete" };
  return { ...base, verdict: "violated", length: v.trace.steps.length, trace: v.trace };
}

/**
 * The variant that keeps the most (fault × property) checks, ties going to the earlier (simpler)
 * one, with what it still violates.
 */
export function recommend(cells: readonly ExploreCell[], variants: readonly VoteVariant[]) {
  const score = (name: string) => cells.filter((c) => c.variant === name && c.verdict === "holds").length;
  const best = [...variants].sort((a, b) => score(b.name) - score(a.name))[0];
  if (!best) return undefined;
  const checked = cells.filter((c) => c.variant === best.name && c.verdict !== "n/a").length;
  const open = cells.filter((c) => c.variant === best.name && c.verdict === "violated");
  return {
    variant: best.name,
    holds: score(best.name),
    checked,
    violated: open.map((c) => `${c.property} under ${c.fault}`),
  };
}
