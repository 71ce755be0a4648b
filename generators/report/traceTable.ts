/**
 * A counterexample as a text table: one row per step with its action and the variables it
 * changed (all variables on the first row).
 */
import { showValue, type Value } from "../../models/index.js";
import type { TraceInput } from "../itf/index.js";

export function traceTable(trace: TraceInput): string {
  const rows = trace.steps.map((step, k) => {
    const prev = trace.steps[k - 1];
    const changes = trace.vars.flatMap((v, i) => {
      const now = showValue(step.values[i] as Value);
      return !prev || now !== showValue(prev.values[i] as Value) ? [`${v} = ${now}`] : [];
    });
    return [String(k), step.action, changes.join(", ") || "(no change)"];
  });
  const width = (col: number) => Math.max(...rows.map((r) => (r[col] ?? "").length), col === 0 ? 4 : 6);
  const [w0, w1] = [width(0), width(1)];
  const line = (r: readonly string[]) => `${(r[0] ?? "").padStart(w0)}  ${(r[1] ?? "").padEnd(w1)}  ${r[2] ?? ""}`;
  const body = rows.map(line);
  if (trace.loop !== undefined) body.push(`${"".padStart(w0)}  ${"(loop)".padEnd(w1)}  back to step ${trace.loop}`);
  return `${[line(["step", "action", "changed variables"]), ...body].join("\n")}\n`;
}
