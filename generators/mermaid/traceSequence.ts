/**
 * A counterexample as a Mermaid sequence diagram: one participant per variable that changes,
 * one message per step naming the action, notes with the new values. A lasso's return is drawn
 * as a loop back to its start.
 */
import { showValue, type Value } from "../../models/index.js";
import type { TraceInput } from "../itf/index.js";

const safe = (text: string): string => text.replace(/[;#:]/g, " ").replace(/\s+/g, " ").trim();

export function traceSequence(trace: TraceInput, actor = "Next"): string {
  const changed = trace.vars.filter((_, i) =>
    trace.steps.some(
      (s, k) => k > 0 && showValue(s.values[i] as Value) !== showValue(trace.steps[k - 1]?.values[i] as Value),
    ),
  );
  const lines = ["sequenceDiagram", `  participant ${actor}`, ...changed.map((v) => `  participant ${v}`)];
  trace.steps.forEach((step, k) => {
    const prev = trace.steps[k - 1];
    if (trace.loop === k) lines.push(`  Note over ${actor}: loop starts at state ${k}`);
    const updates = trace.vars.flatMap((v, i) => {
      const now = showValue(step.values[i] as Value);
      return !prev || now !== showValue(prev.values[i] as Value) ? [[v, now] as const] : [];
    });
    for (const [v, now] of updates.filter(([v]) => changed.includes(v) || !prev)) {
      const target = changed.includes(v) ? v : actor;
      lines.push(`  ${actor}->>${target}: ${safe(`${k} ${step.action}`)}`);
      lines.push(`  Note right of ${target}: ${safe(`${v} = ${now}`).slice(0, 120)}`);
    }
  });
  if (trace.loop !== undefined) lines.push(`  Note over ${actor}: back to state ${trace.loop}`);
  return `${lines.join("\n")}\n`;
}
