/** A surface report as text, Markdown (tables per cell) and an SVG bar chart (lines per cell by directory). */
import { mdTable } from "../auditMarkdown.js";
import { type Bar, barChartSvg } from "../barChartSvg.js";
import type { CellSurface } from "./cellSurface.js";
import type { SurfaceTargetResult } from "./surfaceBudget.js";
import type { SurfaceDelta } from "./surfaceDiff.js";
import type { SurfaceReport } from "./tsSurface.js";

const implName = (r: SurfaceReport) =>
  r.source === "typescript" ? "Warden's TypeScript core" : "upstream Jailhouse (C)";
const reachedEntries = (c: CellSurface) => c.entries.filter((e) => !e.refused).length;

/** Code lines of a cell per directory (`core`, `arch/x86`, …): disjoint, so they stack. */
export function linesByDirectory(c: CellSurface): { label: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const k of c.lineKeys) {
    const parts = k.slice(0, k.lastIndexOf(":")).split("/");
    const dir =
      parts[0] === "arch" && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.length > 1 ? (parts[0] ?? ".") : ".";
    sums.set(dir, (sums.get(dir) ?? 0) + 1);
  }
  return [...sums].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value);
}

export function surfaceText(
  r: SurfaceReport,
  budget: readonly SurfaceTargetResult[] = [],
  deltas: readonly SurfaceDelta[] = [],
): string {
  const out = [`Reachable surface per cell on ${implName(r)} (${r.arch}):`];
  for (const c of r.cells) {
    out.push(
      `  ${c.cell}${c.root ? " (root)" : ""}: ${reachedEntries(c)} entry points (${c.entries.length - reachedEntries(c)} refused at once), ${c.functions} functions, ${c.lines} code lines`,
    );
    for (const l of c.legacy) out.push(`    legacy ${l.tag} (${l.names.join(", ")}): ${l.reason}`);
  }
  if (r.unresolved)
    out.push(
      `  unresolved indirect calls: ${r.unresolved.count} of ${r.unresolved.total} (${(r.unresolved.share * 100).toFixed(1)}%)`,
    );
  for (const d of deltas)
    out.push(
      `  ${d.cell} vs ${d.against}: ${d.lines} → ${d.otherLines} lines (−${d.removedByOther} +${d.addedByOther})${d.entriesRemoved.length ? `; removes ${d.entriesRemoved.join(", ")}` : ""}${d.entriesAdded.length ? `; adds ${d.entriesAdded.join(", ")}` : ""}`,
    );
  for (const t of budget) {
    if (!t.checked) out.push(`  budget ${t.target}: cell "${t.cell}" not in this configuration, not checked`);
    else if (t.overruns.length === 0)
      out.push(`  budget ${t.target}: ${t.lines}${t.limit ? ` / ${t.limit}` : ""} lines, within budget`);
    else for (const o of t.overruns) out.push(`  budget ${t.target} OVERRUN: ${o.cell}: ${o.message}`);
  }
  return `${out.join("\n")}\n`;
}

export function surfaceMarkdown(
  r: SurfaceReport,
  budget: readonly SurfaceTargetResult[] = [],
  deltas: readonly SurfaceDelta[] = [],
): string {
  const out = [
    `# Reachable hypervisor surface per cell (${implName(r)}, ${r.arch})`,
    "",
    "Entry points a cell can trigger under its configuration, and the hypervisor code behind them (call graph from the syntax tree; code lines by cloc's rules; handlers of entry points a cell does not reach are never entered).",
    "",
    mdTable(
      ["cell", "entry points", "refused at once", "functions", "code lines", "legacy handlers"],
      r.cells.map((c) => [
        `${c.cell}${c.root ? " (root)" : ""}`,
        reachedEntries(c),
        c.entries.length - reachedEntries(c),
        c.functions,
        c.lines,
        c.legacy
          .map((l) => l.tag)
          .filter((t, i, a) => a.indexOf(t) === i)
          .join(", ") || "—",
      ]),
    ),
  ];
  if (r.unresolved)
    out.push(
      "",
      `Unresolved indirect calls: ${r.unresolved.count} of ${r.unresolved.total} (${(r.unresolved.share * 100).toFixed(1)}%).`,
    );
  for (const c of r.cells) {
    out.push("", `## ${c.cell}`, "");
    out.push(
      mdTable(
        ["kind", "entry point", "handler", "functions", "code lines", "legacy"],
        c.entries.map((e) => [
          e.kind,
          e.refused ? `${e.name} (refused)` : e.name,
          `\`${e.handler}\``,
          e.functions,
          e.lines,
          e.legacy ?? "",
        ]),
      ),
    );
    if (c.legacy.length > 0)
      out.push(
        "",
        ...c.legacy.map((l) => `- legacy ${l.tag} (${l.names.map((n) => `\`${n}\``).join(", ")}): ${l.reason}`),
      );
  }
  if (deltas.length > 0)
    out.push(
      "",
      "## What a configuration change removes",
      "",
      mdTable(
        ["cell", "against", "lines", "other's lines", "removed", "added", "entry points removed", "entry points added"],
        deltas.map((d) => [
          d.cell,
          d.against,
          d.lines,
          d.otherLines,
          d.removedByOther,
          d.addedByOther,
          d.entriesRemoved.join(", ") || "—",
          d.entriesAdded.join(", ") || "—",
        ]),
      ),
    );
  if (budget.length > 0)
    out.push(
      "",
      "## Surface budgets",
      "",
      mdTable(
        ["target", "cell", "lines", "limit", "verdict"],
        budget.map((t) => [
          t.target,
          t.cell,
          t.checked ? t.lines : "—",
          t.limit ?? "—",
          !t.checked
            ? "not checked"
            : t.overruns.length === 0
              ? "within budget"
              : t.overruns.map((o) => o.message).join("; "),
        ]),
      ),
    );
  return `${out.join("\n")}\n`;
}

/** One bar per cell, stacked by directory, with the budget limit when one applies. */
export function surfaceSvg(r: SurfaceReport, budget: readonly SurfaceTargetResult[] = []): string {
  const bars: Bar[] = r.cells.map((c) => {
    const limit = budget.find((t) => t.checked && t.cell === c.cell && t.limit !== undefined)?.limit;
    return { label: c.cell, segments: linesByDirectory(c), ...(limit !== undefined ? { limit } : {}) };
  });
  return barChartSvg(
    `Reachable code lines per cell (${r.source === "typescript" ? "TypeScript core" : "upstream C"}, ${r.arch})`,
    bars,
  );
}
