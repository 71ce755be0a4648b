/**
 * Text and JSON renderings of a model-check result, shared by `warden check`, `tlc` and the
 * dossier. Verdict lines follow `[ok]` / `[violation]` / `[incomplete]`.
 */

import type { TraceInput } from "../itf/index.js";
import { toItf } from "../itf/index.js";
import { traceSequence } from "../mermaid/traceSequence.js";
import { isVoteTrace, voteSequence } from "../mermaid/voteSequence.js";
import { traceTable } from "./traceTable.js";

/** The parts of a checker verdict the renderers need (structurally the checker's `Verdict`). */
export interface CheckOutcome {
  readonly kind: "holds" | "violated" | "incomplete";
  readonly stats: {
    readonly distinctStates: number;
    readonly generatedStates: number;
    readonly depth: number;
    readonly ms: number;
  };
  readonly property?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly trace?: TraceInput;
}

export function statsLine(o: CheckOutcome): string {
  const s = o.stats;
  const rate = s.ms > 0 ? Math.round((s.distinctStates / s.ms) * 1000) : s.distinctStates;
  return `${s.distinctStates.toLocaleString("en-US")} distinct states, ${s.generatedStates.toLocaleString("en-US")} generated, depth ${s.depth}, ${s.ms} ms (${rate.toLocaleString("en-US")} distinct states/s)`;
}

export function formatCheckText(name: string, o: CheckOutcome): string {
  if (o.kind === "holds") return `[ok] ${name}: every invariant and property holds; ${statsLine(o)}\n`;
  if (o.kind === "incomplete") return `[incomplete] ${name}: ${o.reason}; ${statsLine(o)}\n`;
  const trace = o.trace;
  const parts = [`[violation] ${name}: ${o.message} ${statsLine(o)}\n`];
  if (trace && trace.steps.length > 0) {
    parts.push(
      `\nCounterexample (${trace.steps.length} states${trace.loop !== undefined ? `, lasso back to state ${trace.loop}` : ""}):\n`,
    );
    parts.push(
      traceTable(trace),
      "\nAs a Mermaid sequence diagram:\n\n```mermaid\n",
      isVoteTrace(trace) ? voteSequence(trace) : traceSequence(trace),
      "```\n",
    );
  }
  return parts.join("");
}

export function checkJson(name: string, params: Readonly<Record<string, string>>, o: CheckOutcome): object {
  return {
    model: name,
    params,
    verdict: o.kind,
    ...(o.property ? { property: o.property } : {}),
    ...(o.message ? { message: o.message } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
    stats: o.stats,
    ...(o.trace && o.trace.steps.length > 0 ? { trace: toItf(o.trace) } : {}),
  };
}
