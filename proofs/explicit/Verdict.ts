import type { Value } from "../../models/index.js";

/** One step of a trace: the action that produced the state (`Init` for the first) and its values. */
export interface TraceStep {
  readonly action: string;
  readonly values: readonly Value[];
}

/** A counterexample; `loop` marks a lasso: after the last state the behaviour returns to `loop`. */
export interface Trace {
  readonly vars: readonly string[];
  readonly steps: readonly TraceStep[];
  readonly loop?: number;
}

export interface SearchStats {
  readonly distinctStates: number;
  readonly generatedStates: number;
  /** TLC's "depth of the complete state graph search": breadth-first levels, initial states at 1. */
  readonly depth: number;
  readonly ms: number;
  /** Bytes held by the checker's state tables (arena, fingerprint table, graph, memos) at the end. */
  readonly memoryBytes?: number;
  /** `memoryBytes` per distinct state (TLC's in-memory fingerprint set: 8, its queue on disk). */
  readonly bytesPerState?: number;
  /** Bytes written to disk when the search spilled past `--max-memory`. */
  readonly diskBytes?: number;
}

/** Adds the memory figures to `stats`. */
export function withMemory(stats: SearchStats, bytes: number): SearchStats {
  const perState = stats.distinctStates > 0 ? Math.round((bytes / stats.distinctStates) * 10) / 10 : 0;
  return { ...stats, memoryBytes: bytes, bytesPerState: perState };
}

/** What a check concluded: holds, violated (with the shortest counterexample), or incomplete. */
export type Verdict =
  | { readonly kind: "holds"; readonly stats: SearchStats }
  | {
      readonly kind: "violated";
      readonly stats: SearchStats;
      readonly property: string;
      readonly propertyKind: "invariant" | "deadlock" | "temporal" | "evaluation";
      readonly message: string;
      readonly trace: Trace;
    }
  | { readonly kind: "incomplete"; readonly stats: SearchStats; readonly reason: string };
