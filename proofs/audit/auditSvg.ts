/** The audit's chart: each budget target as a bar split by directory with its limit, else code per top-level directory. */
import type { AuditReport } from "./auditReport.js";
import { type Bar, barChartSvg } from "./barChartSvg.js";

/** How many directories a target's bar names before lumping the rest into "other". */
const shown = 7;

/** Renders `report` as an SVG bar chart. */
export function auditSvg(report: AuditReport): string {
  if (report.targets.length === 0)
    return barChartSvg(
      `code lines per directory of ${report.root}`,
      report.byDirectory.map((d) => ({ label: d.dir, segments: [{ label: d.dir, value: d.code }] })),
    );
  const bars: Bar[] = report.targets.map((t) => {
    const named = t.byDirectory.slice(0, shown).map((d) => ({ label: d.dir, value: d.code }));
    const rest = t.byDirectory.slice(shown).reduce((s, d) => s + d.code, 0);
    return {
      label: t.target,
      segments: rest > 0 ? [...named, { label: "other", value: rest }] : named,
      limit: t.limit,
    };
  });
  return barChartSvg(`code lines per budget target of ${report.root} (mark = limit)`, bars);
}
