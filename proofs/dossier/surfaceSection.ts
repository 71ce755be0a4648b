/**
 * The dossier's "Reachable surface per cell" section: a table and a bar chart, drawn from the
 * `surface:cells` evidence item's metrics (so a reused item is shown without recomputing).
 */
import { barChartSvg } from "../audit/barChartSvg.js";
import type { EvidenceItem } from "./evidenceItem.js";

export interface SurfaceRow {
  readonly cell: string;
  readonly entries: number;
  readonly functions: number;
  readonly lines: number;
  readonly legacy: number;
  readonly limit?: number;
}

export interface DossierSurface {
  readonly rows: readonly SurfaceRow[];
  readonly svg: string;
  /** The evidence item's detail (legacy handlers by name). */
  readonly detail: string;
}

/** The written chart's file name, next to the dossier. */
export const surfaceFile = "surface.svg";

export function dossierSurface(evidence: readonly EvidenceItem[]): DossierSurface | undefined {
  const item = evidence.find((e) => e.id === "surface:cells" && e.metrics);
  if (!item?.metrics) return undefined;
  const byCell = new Map<string, Record<string, number>>();
  for (const [k, v] of Object.entries(item.metrics)) {
    const at = k.lastIndexOf(":");
    const cell = k.slice(0, at);
    byCell.set(cell, { ...byCell.get(cell), [k.slice(at + 1)]: v });
  }
  const rows = [...byCell].map(([cell, m]) => ({
    cell,
    entries: m.entries ?? 0,
    functions: m.functions ?? 0,
    lines: m.lines ?? 0,
    legacy: m.legacy ?? 0,
    ...(m.limit !== undefined ? { limit: m.limit } : {}),
  }));
  const svg = barChartSvg(
    "Reachable code lines per cell (TypeScript core)",
    rows.map((r) => ({
      label: r.cell,
      segments: [{ label: "reachable code lines", value: r.lines }],
      ...(r.limit !== undefined ? { limit: r.limit } : {}),
    })),
  );
  return { rows, svg, detail: item.detail };
}

const columns = ["cell", "entry points", "functions", "code lines", "surface budget", "legacy handler kinds"];
const cells = (r: SurfaceRow) => [r.cell, r.entries, r.functions, r.lines, r.limit ?? "—", r.legacy];

export function surfaceSectionMarkdown(s: DossierSurface): string[] {
  return [
    "## Reachable surface per cell",
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...s.rows.map((r) => `| ${cells(r).join(" | ")} |`),
    "",
    s.detail.replace(/\|/g, "\\|"),
    "",
    `![reachable surface per cell](${surfaceFile})`,
    "",
  ];
}

export function surfaceSectionHtml(s: DossierSurface, esc: (t: string) => string): string {
  return `<h2 id="surface">Reachable surface per cell</h2>
<p>Hypervisor entry points each cell can trigger under its configuration, and the code lines behind them (<code>warden audit surface</code>). ${esc(s.detail)}</p>
<table id="surface-table"><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>
${s.rows
  .map(
    (r) =>
      `<tr>${cells(r)
        .map((c) => `<td>${esc(String(c))}</td>`)
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>
<div class="scroll" id="surface-svg">${s.svg}</div>`;
}
