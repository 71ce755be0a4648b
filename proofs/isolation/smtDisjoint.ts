/**
 * The neighbour form of the disjointness obligation, for sets too large for the solver to search
 * (`smtOverlap.ts` states the question over raw descriptors; its cost grows with every descriptor).
 * Each owner's intervals are merged (same-owner overlaps are allowed), the pieces sorted by start,
 * and the solver is asked to refute "not every piece ends at or before the next one starts":
 * `(not (and (bvule e_0 s_1) (bvule e_1 s_2) …))`. Every piece is non-empty (zero-size intervals are
 * dropped before merging, and a merge only lengthens), so `unsat` is the chain
 * s_0 < e_0 <= s_1 < e_1 <= …, and the pieces are pairwise disjoint whatever order TypeScript put
 * them in: a proof trusts the merge, not the sort. Pieces of one owner never overlap after the
 * merge, so `sat` means two owners' pieces overlap; which pair is read from the witness script (the
 * part's pairs, each with its index k, both owners and both pieces, the form this obligation had
 * before), and the witness is re-validated by direct evaluation.
 * Why the proving script has no index and no owners, and hex literals as wide as the largest end:
 * the wasm Z3 pays for every numeral and every digit it parses. A pair stated with seven decimal
 * numerals of 80 bits cost 50 µs, 400,000 pairs (four rules at 100,000 regions) 20 s; one `bvule`
 * of two hex numerals costs 12–17 µs (5,000-pair scripts, measured 2026-12-04). A width of 4 bits per hex digit of
 * the largest end never wraps: an end of 2^64 is exact, and per-cell rules, which place the cell
 * index above bit 64, keep cells apart however many there are.
 * The witness script's values are bit-vectors one bit wider than the largest end (at least 80
 * bits; with 80 fixed bits a 65,537th cell's regions wrapped onto the first cell's and the solver
 * reported a false overlap), its owners 32-bit vectors: an integer literal is not a term of QF_BV
 * (native z3 rejects the script, ignores the assertion and answers sat).
 * Large sets are cut into parts of at most `chunk` neighbour pairs (each pair lies in one part).
 */
import { type Interval, mergeByOwner } from "./intervals.js";

/** Bits for values up to `max` inclusive, never fewer than 80 (the witness script's width). */
export function widthFor(max: bigint): number {
  return Math.max(80, max.toString(2).length + 1);
}

/** Hex digits for values up to `max` inclusive: the proving script's width is 4 bits a digit. */
const hexDigitsFor = (max: bigint): number => Math.max(1, max.toString(16).length);

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
  const digits = hexDigitsFor(pieces.reduce((m, p) => (p.end > m ? p.end : m), 0n));
  const hex = (n: bigint): string => `#x${n.toString(16).padStart(digits, "0")}`;
  const script = (from: number, to: number, label: string): string => {
    const ordered: string[] = [];
    for (let k = from; k < to; k++) {
      const p = pieces[k];
      const q = pieces[k + 1];
      if (p && q) ordered.push(`(bvule ${hex(p.end)} ${hex(q.start)})`);
    }
    return [
      `; Warden proof obligation ${rule}${label}: ${title}`,
      "; Expected result: unsat (the rule holds). sat: some piece starts below the end of the piece before it.",
      `; owner-merged intervals sorted by start, neighbour pairs ${from} to ${to - 1} of ${pairs}, each (bvule end(k) start(k+1)); see proofs/README.md.`,
      "(set-logic QF_BV)",
      ordered.length === 0
        ? "(assert false) ; no neighbour pairs"
        : `(assert (not ${ordered.length === 1 ? ordered[0] : `(and ${ordered.join("\n  ")})`}))`,
      "(check-sat)",
      "",
    ].join("\n");
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
