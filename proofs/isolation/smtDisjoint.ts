/**
 * The neighbour form of the disjointness obligation, for sets too large for the solver to search
 * (`smtOverlap.ts` states the question over raw descriptors; its cost grows with every descriptor).
 * Each owner's intervals are merged (same-owner overlaps are allowed), the pieces sorted by start,
 * and the solver is asked whether some piece k+1 starts below the end of piece k (one `bvult` per
 * neighbour pair). `unsat` states e_k <= s_{k+1} for every k; every piece is non-empty (zero-size
 * intervals are dropped before merging, and a merge only lengthens), so that is the chain
 * s_0 < e_0 <= s_1 < e_1 <= …, and the pieces are pairwise disjoint whatever order TypeScript put
 * them in: a proof trusts the merge, not the sort. Pieces of one owner never overlap after the
 * merge, so `sat` names an overlap of two owners; the index is read back from the witness script
 * (the same pairs, each with its index k, its owners and both pieces stated, as this form was
 * before), and the witness is re-validated by direct evaluation.
 * Why no owners and no index in the proving script: the wasm Z3 pays about 5 µs per numeral to
 * parse, so a pair stated with seven numerals cost 50 µs and 400,000 pairs (four rules at 100,000
 * regions) 20 s; two numerals per pair cost 18 µs (see bench/isolation.bench.ts).
 * Values are bit-vectors one bit wider than the largest end (at least 80 bits): an end of 2^64 is
 * exact, and per-cell rules place the cell index above bit 64 — with 80 fixed bits, a 65,537th
 * cell's regions wrapped onto the first cell's and the solver reported a false overlap.
 * Owners (witness script) are 32-bit vectors: an integer literal is not a term of QF_BV (native z3
 * rejects the script, ignores the assertion and answers sat).
 * Large sets are cut into parts of at most `chunk` neighbour pairs (each pair lies in one part).
 */
import { type Interval, mergeByOwner } from "./intervals.js";

/** Bits for values up to `max` inclusive, never fewer than 80. */
export function widthFor(max: bigint): number {
  return Math.max(80, max.toString(2).length + 1);
}

export interface NeighbourPart {
  /** The proving script: `unsat` when no pair of this part overlaps. */
  readonly smt2: string;
  /** Index of the part's first pair: pair k is pieces k and k+1 of `pieces`. */
  readonly first: number;
  /** The part's pairs with their indices and owners, ending in `(get-value (k))`: asked when `smt2` is sat. */
  readonly witness: () => string;
}

export interface DisjointObligation {
  /** The whole obligation as one script (all pairs), written when read. */
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
  const pairs = Math.max(pieces.length - 1, 0);
  const width = widthFor(pieces.reduce((m, p) => (p.end > m ? p.end : m), 0n));
  const bv = (n: bigint): string => `(_ bv${n} ${width})`;
  const script = (from: number, to: number, label: string): string => {
    const lines = [
      `; Warden proof obligation ${rule}${label}: ${title}`,
      "; Expected result: unsat (the rule holds). sat: some piece starts below the end of the piece before it.",
      `; owner-merged intervals sorted by start, neighbour pairs ${from} to ${to - 1} of ${pairs}: (bvult start(k+1) end(k)); see proofs/README.md.`,
      "(set-logic QF_BV)",
    ];
    const disjuncts: string[] = [];
    for (let k = from; k < to; k++) {
      const p = pieces[k];
      const q = pieces[k + 1];
      if (p && q) disjuncts.push(`(bvult ${bv(q.start)} ${bv(p.end)})`);
    }
    lines.push(
      disjuncts.length === 0
        ? "(assert false) ; no neighbour pairs"
        : `(assert ${disjuncts.length === 1 ? disjuncts[0] : `(or ${disjuncts.join("\n  ")})`})`,
      "(check-sat)",
      "",
    );
    return lines.join("\n");
  };
  const witness = (from: number, to: number, label: string) => () =>
    `${indexedScript(rule, title, pieces, from, to, label)}(get-value (k))\n`;
  const parts: NeighbourPart[] = [];
  const size = Number.isFinite(chunk) ? Math.max(1, chunk) : Math.max(pairs, 1);
  for (let from = 0; from < pairs; from += size) {
    const to = Math.min(pairs, from + size);
    const label = pairs > size ? ` part ${parts.length + 1}` : "";
    parts.push({ smt2: script(from, to, label), first: from, witness: witness(from, to, label) });
  }
  return {
    get smt2() {
      return script(0, pairs, "");
    },
    parts,
    pieces,
  };
}

/**
 * Pairs `from` to `to` - 1, each with its index k, its owners and both pieces: the model's k names
 * neighbours k and k+1 of different owners that intersect.
 */
function indexedScript(
  rule: string,
  title: string,
  pieces: ReturnType<typeof mergeByOwner>,
  from: number,
  to: number,
  label: string,
): string {
  const owner = new Map<string, number>();
  for (const p of pieces) if (!owner.has(p.owner)) owner.set(p.owner, owner.size);
  const pairs = Math.max(pieces.length - 1, 0);
  const width = widthFor(pieces.reduce((m, p) => (p.end > m ? p.end : m), 0n));
  const bv = (n: bigint): string => `(_ bv${n} ${width})`;
  const ownerOf = (o: string): string => `(_ bv${owner.get(o)} 32)`;
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
}
