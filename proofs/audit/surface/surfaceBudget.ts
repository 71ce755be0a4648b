/**
 * `surface:` targets of a budget file checked against a surface report: a cell's reachable code
 * lines against `limit`, and `forbid`den handlers, named as an entry point, a reached function
 * or a legacy tag (`i8042`, `ioapic`, …).
 */
import type { Budget } from "../checkBudget.js";
import type { CellSurface } from "./cellSurface.js";
import type { SurfaceReport } from "./tsSurface.js";

export interface SurfaceOverrun {
  readonly target: string;
  readonly cell: string;
  readonly message: string;
  /** The reached function a forbidden name matched, when it is one. */
  readonly at?: { readonly file: string; readonly line: number; readonly name: string };
}

export interface SurfaceTargetResult {
  readonly target: string;
  readonly cell: string;
  /** False when the report has no such cell (another configuration or architecture). */
  readonly checked: boolean;
  readonly lines: number;
  readonly limit?: number;
  readonly overruns: readonly SurfaceOverrun[];
}

/** Checks every `surface:` target of `budget` whose cell (and architecture) the report has. */
export function checkSurfaceBudget(budget: Budget, report: SurfaceReport): SurfaceTargetResult[] {
  return Object.entries(budget.surface ?? {}).map(([target, t]) => {
    const archOk = t.arch === undefined || t.arch === (report.arch === "x86" ? "x86" : "arm64");
    const cell = archOk ? report.cells.find((c) => c.cell === t.cell) : undefined;
    if (!cell) return { target, cell: t.cell, checked: false, lines: 0, overruns: [] };
    const overruns: SurfaceOverrun[] = [];
    if (t.limit !== undefined && cell.lines > t.limit)
      overruns.push({ target, cell: t.cell, message: `${cell.lines} reachable code lines > limit ${t.limit}` });
    for (const name of t.forbid) overruns.push(...forbidden(target, cell, name));
    return { target, cell: t.cell, checked: true, lines: cell.lines, ...(t.limit ? { limit: t.limit } : {}), overruns };
  });
}

function forbidden(target: string, cell: CellSurface, name: string): SurfaceOverrun[] {
  const out: SurfaceOverrun[] = [];
  for (const e of cell.entries)
    if (!e.refused && (e.name === name || e.legacy === name || e.handler.endsWith(` ${name}`)))
      out.push({ target, cell: cell.cell, message: `reaches forbidden entry point "${e.name}" (${e.handler})` });
  if (out.length > 0) return out;
  const fn = cell.reached.find((f) => f.name === name || f.name.endsWith(`.${name}`));
  if (fn)
    out.push({
      target,
      cell: cell.cell,
      message: `reaches forbidden handler ${fn.name} (${fn.file}:${fn.line})`,
      at: { file: fn.file, line: fn.line, name: fn.name },
    });
  for (const l of cell.legacy)
    if (l.tag === name && out.length === 0)
      out.push({
        target,
        cell: cell.cell,
        message: `reaches forbidden legacy handlers ${l.names.join(", ")} (${l.tag}: ${l.reason})`,
      });
  return out;
}
