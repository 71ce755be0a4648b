/** `--history` output: a text table, a Markdown table and an SVG line chart of code lines per revision. */
import type { HistoryPoint } from "./auditHistory.js";
import { mdTable } from "./auditMarkdown.js";
import { lineChartSvg } from "./barChartSvg.js";
import type { Budget } from "./checkBudget.js";

/** The series names of `points` in first-seen order. */
function seriesNames(points: readonly HistoryPoint[]): string[] {
  return [...new Set(points.flatMap((p) => Object.keys(p.series)))];
}

function rows(points: readonly HistoryPoint[]): { head: string[]; body: (string | number)[][] } {
  const names = seriesNames(points);
  return {
    head: ["revision", "date", "files", "code", ...names],
    body: points.map((p) => [p.rev, p.date, p.files, p.code, ...names.map((n) => p.series[n] ?? 0)]),
  };
}

/** A column-aligned text table. */
export function historyText(points: readonly HistoryPoint[]): string {
  const { head, body } = rows(points);
  const cells = [head, ...body.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return `${cells.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")).join("\n")}\n`;
}

/** A Markdown report of the history. */
export function historyMarkdown(dir: string, range: string, points: readonly HistoryPoint[]): string {
  const { head, body } = rows(points);
  return `# Code-size history of \`${dir}\` over \`${range}\`\n\n${mdTable(head, body)}\n`;
}

/** A line chart: one line per target (dashed: its limit) or per language. */
export function historySvg(dir: string, range: string, points: readonly HistoryPoint[], budget?: Budget): string {
  return lineChartSvg(
    `code lines of ${dir} over ${range}`,
    points.map((p) => p.rev.slice(0, 12)),
    seriesNames(points).map((name) => {
      const limit = budget?.targets[name]?.limit;
      const values = points.map((p) => p.series[name] ?? 0);
      return limit === undefined ? { label: name, values } : { label: name, values, limit };
    }),
  );
}
