/**
 * The surface model shared by the TypeScript and C analyses: the entry points a cell reaches,
 * each with the code behind it, and the walk that computes it over a call graph where the
 * handlers of entry points the cell does not reach are barriers (a shared dispatcher, such as
 * the MMIO trap, leads into the MMCONFIG handler only for a cell that has MMCONFIG).
 */
import { legacyOf } from "./legacyHandlers.js";

/** A call graph reduced to what the walk needs. */
export interface SurfaceGraph {
  readonly functions: readonly {
    readonly file: string;
    readonly name: string;
    readonly line: number;
    readonly lines: readonly number[];
    readonly calls: readonly number[];
  }[];
}

/** An entry point resolved to the function it lands in. */
export interface ResolvedEntry {
  readonly kind: string;
  readonly name: string;
  readonly handler: number;
  /**
   * The cell reaches it only as far as a refusal (a root-only hypercall from a non-root cell).
   * A refused entry's `handler` is where the refusal happens, or -1 for a check inline in the dispatcher.
   */
  readonly refused: boolean;
}

export interface SurfaceEntry {
  readonly kind: string;
  readonly name: string;
  readonly handler: string;
  readonly refused: boolean;
  readonly functions: number;
  readonly lines: number;
  readonly legacy?: string;
}

export interface ReachedFunction {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

export interface CellSurface {
  readonly cell: string;
  readonly root: boolean;
  readonly entries: readonly SurfaceEntry[];
  readonly functions: number;
  readonly lines: number;
  /** Legacy handlers the cell reaches, per rule: the entry points and functions matched, and why they are legacy. */
  readonly legacy: readonly { readonly tag: string; readonly reason: string; readonly names: readonly string[] }[];
  readonly reached: readonly ReachedFunction[];
  /** Reached code lines as `file:line`, for comparing configurations. */
  readonly lineKeys: readonly string[];
}

/**
 * The surface of one cell: `reached` are the entries it reaches, `all` every entry of the
 * architecture (whose handlers bar the walk unless reached).
 */
export function cellSurface(
  graph: SurfaceGraph,
  cell: string,
  root: boolean,
  reached: readonly ResolvedEntry[],
  all: readonly ResolvedEntry[],
): CellSurface {
  const open = new Set(reached.map((e) => e.handler));
  const barriers = new Set(all.filter((e) => !e.refused && !open.has(e.handler)).map((e) => e.handler));
  const total = new Set<number>();
  const entries = reached.map((e): SurfaceEntry => {
    const ids = e.handler < 0 ? new Set<number>() : walk(graph, e.handler, barriers);
    for (const id of ids) total.add(id);
    const f = graph.functions[e.handler];
    const legacy = legacyOf(e.name) ?? legacyOf(f?.name ?? "");
    return {
      kind: e.kind,
      name: e.name,
      handler: f ? `${f.file}:${f.line} ${f.name}` : "(refused in the dispatcher)",
      refused: e.refused,
      functions: ids.size,
      lines: lineKeys(graph, ids).length,
      ...(legacy ? { legacy: legacy.tag } : {}),
    };
  });
  const keys = lineKeys(graph, total);
  const reachedFns = [...total]
    .map((id) => graph.functions[id])
    .filter((f) => f !== undefined)
    .map((f) => ({ file: f.file, name: f.name, line: f.line, lines: f.lines.length }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return {
    cell,
    root,
    entries,
    functions: total.size,
    lines: keys.length,
    legacy: legacyFound(entries, reachedFns),
    reached: reachedFns,
    lineKeys: keys,
  };
}

/** Functions reachable from `start` without entering a barrier (the start itself is never one). */
export function walk(graph: SurfaceGraph, start: number, barriers: ReadonlySet<number>): Set<number> {
  const seen = new Set<number>([start]);
  const todo = [start];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const next of graph.functions[id]?.calls ?? []) {
      if (seen.has(next) || barriers.has(next)) continue;
      seen.add(next);
      todo.push(next);
    }
  }
  return seen;
}

/** Distinct code lines of the functions `ids` (nested functions share their parent's lines). */
function lineKeys(graph: SurfaceGraph, ids: ReadonlySet<number>): string[] {
  const keys = new Set<string>();
  for (const id of ids) {
    const f = graph.functions[id];
    if (f) for (const l of f.lines) keys.add(`${f.file}:${l}`);
  }
  return [...keys].sort();
}

function legacyFound(entries: readonly SurfaceEntry[], fns: readonly ReachedFunction[]): CellSurface["legacy"] {
  const out = new Map<string, { tag: string; reason: string; names: string[] }>();
  for (const name of [...entries.filter((e) => !e.refused).map((e) => e.name), ...fns.map((f) => f.name)]) {
    const rule = legacyOf(name);
    if (!rule) continue;
    const found = out.get(rule.tag) ?? { tag: rule.tag, reason: rule.reason, names: [] };
    if (!found.names.includes(name)) found.names.push(name);
    out.set(rule.tag, found);
  }
  return [...out.values()];
}
