import type { Value } from "../../models/index.js";
import { type ItfValue, toItfValue } from "./itfValue.js";

/** A trace as the generators see it: variable names, and per state the action and values. */
export interface TraceInput {
  readonly vars: readonly string[];
  readonly steps: readonly { readonly action: string; readonly values: readonly Value[] }[];
  /** Lasso: after the last state the behaviour continues at this index. */
  readonly loop?: number;
}

export interface ItfTrace {
  readonly "#meta": Readonly<Record<string, ItfValue>>;
  readonly vars: readonly string[];
  readonly states: readonly Readonly<Record<string, ItfValue>>[];
  readonly loop?: number;
}

/**
 * An ITF trace. Each state's `#meta` carries its index and the action that produced it;
 * a lasso's cycle is marked by ITF's `loop` field.
 */
export function toItf(trace: TraceInput, meta: Readonly<Record<string, ItfValue>> = {}): ItfTrace {
  return {
    "#meta": { format: "ITF", "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html", ...meta },
    vars: trace.vars,
    states: trace.steps.map((step, index) => ({
      "#meta": { index, action: step.action },
      ...Object.fromEntries(trace.vars.map((v, i) => [v, toItfValue(step.values[i] as Value)])),
    })),
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
  };
}
