/**
 * The neighbour form of the disjointness obligation, for sets too large for the solver to search
 * (`smtOverlap.ts` states the question over raw descriptors; its cost grows with every descriptor).
 * After merging each owner's intervals, the pieces are sorted by start, and for sorted non-empty
 * intervals pairwise disjointness is equivalent to disjointness of neighbours (if piece k meets a
 * later piece m, then piece k+1, which starts between them, meets piece k). The obligation asks for
 * a neighbour index k whose two pieces have different owners and intersect; `unsat` proves the
 * rule. Here TypeScript has merged and sorted, and the solver only compares the constants: this is
 * the weaker argument, used above the raw form's size limit (see proofs/README.md).
 * Values are bit-vectors one bit wider than the largest end (at least 80 bits): an end of 2^64 is
 * exact, and per-cell rules place the cell index above bit 64 — with 80 fixed bits, a 65,537th
 * cell's regions wrapped onto the first cell's and the solver reported a false overlap.
 * Owners are 32-bit vectors: an integer literal is not a term of QF_BV (native z3 rejects the
 * script, ignores the assertion and answers sat).
 * Large sets are cut into parts of at most `chunk` neighbour pairs (each pair lies in one part).
 */
import { type Interval, mergeByOwner } from "./intervals.js";

/** Bits for values up to `max` inclusive, never fewer than 80. */
export function widthFor(max: bigint): number {
  return Math.max(80, max.toString(2).length + 1);
}

export interface NeighbourPart {
  readonly smt2: string;
  /** Index of the part's first pair: pair k is pieces k and k+1 of `pieces`. */
  readonly first: number;
}

export interface DisjointObligation {
  /** The whole obligation as one script (all pairs). */
  readonly smt2: string;
  readonly parts: readonly NeighbourPart[];
  readonly pieces: ReturnType<typeof mergeByOwner>;
}

export function disjointObligation(
  rule: string,
  title: string,
  intervals: readonly Interval[],
  chunk = Number.POSITIVE_INFINITY,
): DisjointObligation {
  const pieces = mergeByOwner(intervals);
  const owner = new Map<string, number>();
  for (const p of pieces) if (!owner.has(p.owner)) owner.set(p.owner, owner.size);
  const pairs = Math.max(pieces.length - 1, 0);
  const width = widthFor(pieces.reduce((m, p) => (p.end > m ? p.end : m), 0n));
  const bv = (n: bigint): string => `(_ bv${n} ${width})`;
  const ownerOf = (o: string): string => `(_ bv${owner.get(o)} 32)`;
  const script = (from: number, to: number, label: string): string => {
    const lines = [
      `; Warden proof obligation ${rule}${label}: ${title}`,
      "; Expected result: unsat (the rule holds). sat: k names neighbours k and k+1 of different owners that intersect.",
      `; owner-merged intervals sorted by start, neighbour pairs ${from} to ${to - 1} of ${pairs}; see proofs/README.md.`,
      "(set-logic QF_BV)",
      "(declare-const k (_ BitVec 32))",
    ];
    const disjuncts: string[] = [];
    for (let k = from; k < to; k++) {
      const p = pieces[k];
      const q = pieces[k + 1];
      if (!p || !q) continue;
      disjuncts.push(
        `(and (= k (_ bv${k} 32)) (distinct ${ownerOf(p.owner)} ${ownerOf(q.owner)}) (bvult ${bv(q.start)} ${bv(p.end)}) (bvult ${bv(q.start)} ${bv(q.end)}))`,
      );
    }
    lines.push(
      disjuncts.length === 0 ? "(assert false) ; no neighbour pairs" : `(assert (or ${disjuncts.join("\n  ")}))`,
    );
    lines.push("(check-sat)", "");
    return lines.join("\n");
  };
  const parts: NeighbourPart[] = [];
  const size = Number.isFinite(chunk) ? Math.max(1, chunk) : Math.max(pairs, 1);
  for (let from = 0; from < pairs; from += size) {
    const to = Math.min(pairs, from + size);
    parts.push({ smt2: script(from, to, pairs > size ? ` part ${parts.length + 1}` : ""), first: from });
  }
  return { smt2: script(0, pairs, ""), parts, pieces };
}
