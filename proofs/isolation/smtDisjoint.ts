/**
 * The SMT-LIB obligation for "no two intervals of different owners intersect", in a form that
 * scales: after merging each owner's intervals, the pieces are sorted by start, and for sorted
 * non-empty intervals, pairwise disjointness is equivalent to disjointness of neighbours (if
 * piece k meets a later piece m, then piece k+1, which starts between them, meets piece k). The
 * obligation asks for a neighbour index k whose two pieces intersect, i.e. piece k+1 starts
 * before piece k ends; `unsat` proves the rule, and in a `sat` model k names the pair and the
 * start of piece k+1 is an address both contain. (A symbolic address in every disjunct would
 * make Z3 bit-blast 10,000 interval constraints; with constant bounds it simplifies instantly.)
 * Values are 80-bit vectors: an end of 2^64 is exact, and per-cell rules place the cell index above bit 64.
 */
import { type Interval, mergeByOwner } from "./intervals.js";

const bv = (n: bigint): string => `(_ bv${n} 80)`;

export interface DisjointObligation {
  readonly smt2: string;
  /** Neighbour pair k is pieces k and k+1 of `pieces`. */
  readonly pieces: ReturnType<typeof mergeByOwner>;
}

export function disjointObligation(rule: string, title: string, intervals: readonly Interval[]): DisjointObligation {
  const pieces = mergeByOwner(intervals);
  const lines = [
    `; Warden proof obligation ${rule}: ${title}`,
    "; Expected result: unsat (the rule holds). sat: the model's k names neighbours k and k+1 that intersect.",
    `; ${pieces.length} owner-merged intervals, sorted by start; see proofs/README.md for the argument.`,
    "(set-logic QF_BV)",
    "(declare-const k (_ BitVec 32))",
  ];
  const disjuncts: string[] = [];
  for (let k = 0; k + 1 < pieces.length; k++) {
    const p = pieces[k];
    const q = pieces[k + 1];
    if (!p || !q || p.owner === q.owner) continue;
    disjuncts.push(`(and (= k (_ bv${k} 32)) (bvult ${bv(q.start)} ${bv(p.end)}) (bvult ${bv(q.start)} ${bv(q.end)}))`);
  }
  lines.push(`(assert (or false ${disjuncts.join("\n  ")}))`, "(check-sat)", "(get-value (k))", "");
  return { smt2: lines.join("\n"), pieces };
}
