/**
 * The isolation question put to the solver over the raw descriptors: "is there an address x lying
 * in descriptors of two different owners?". Each descriptor is stated with its start, size and
 * owner as constants in the order the configuration lists them; nothing is sorted, merged or
 * compared in advance, so the solver's answer is an argument independent of the sweep line.
 *
 * Large sets are split by address: window w asks the question for x in [lo_w, hi_w) over the
 * descriptors meeting that window. The windows tile the whole range, so the rule holds iff every
 * window is unsat (the tiling and the choice of descriptors per window are the TypeScript steps
 * this argument trusts; `windowsOf` is checked by a property test).
 *
 * Declared sharing is stated to the solver too, not resolved in advance: a window that a
 * declaration meets asks for an address held by two owners o, p where no declaration naming both
 * contains it (one disjunct per owner pair, so only where a declaration applies).
 */
import type { Declared, Interval } from "./intervals.js";

export interface Window {
  readonly lo: bigint;
  /** Exclusive; undefined: unbounded above. */
  readonly hi: bigint | undefined;
  readonly members: readonly Interval[];
}

/**
 * Windows of at most `size` descriptors where the layout allows (a descriptor spanning several
 * windows counts in each; many descriptors over one point cannot be separated). O(n log n).
 */
export function windowsOf(intervals: readonly Interval[], size: number): Window[] {
  const live = intervals.filter((i) => i.end > i.start);
  const order = new Map(live.map((i, k) => [i, k]));
  // Members are listed in the configuration's order, not sorted: the solver gets no order to rely on.
  const inOrder = (ms: Interval[]) => ms.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const sorted = [...live].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const out: Window[] = [];
  let lo = 0n;
  let carry: Interval[] = [];
  let k = 0;
  while (k < sorted.length) {
    const members = [...carry];
    // At least one group of equal starts (so the window advances), more while under `size`.
    do {
      const s = (sorted[k] as Interval).start;
      while (k < sorted.length && (sorted[k] as Interval).start === s) members.push(sorted[k++] as Interval);
    } while (k < sorted.length && members.length < size);
    const next = sorted[k];
    if (!next) {
      out.push({ lo, hi: undefined, members: inOrder(members) });
      break;
    }
    // Every member starts before `next`, and every descriptor meeting [lo, hi) is a member.
    const hi = next.start;
    carry = members.filter((m) => m.end > hi);
    out.push({ lo, hi, members: inOrder(members) });
    lo = hi;
  }
  return out;
}

const num = (n: bigint): string => n.toString();

/** One window's SMT-LIB script (QF_LIA); `unsat` proves the rule on the window. */
export function overlapScript(
  rule: string,
  title: string,
  part: string,
  w: Window,
  declared: readonly Declared[] = [],
): string {
  const owners = new Map<string, number>();
  for (const m of w.members) if (!owners.has(m.owner)) owners.set(m.owner, owners.size);
  const names = [...owners.keys()];
  const relevant = declared.filter(
    (d) =>
      (w.hi === undefined || d.start < w.hi) && w.lo < d.end && names.filter((n) => d.cells.includes(n)).length >= 2,
  );
  const lines = [
    `; Warden proof obligation ${rule}${part}: ${title}`,
    relevant.length === 0
      ? "; Question: is there an address x in the window lying in descriptors of two different owners?"
      : "; Question: is there an address x in the window held by two different owners with no declared sharing of both covering x?",
    "; Expected result: unsat (the rule holds here). sat: x is such an address.",
    `; ${w.members.length} descriptors (start, size, owner) in the configuration's order; owners numbered by first appearance.`,
    "(set-logic QF_LIA)",
    "(declare-const x Int)",
    `(assert (<= ${num(w.lo)} x))`,
    ...(w.hi === undefined ? [] : [`(assert (< x ${num(w.hi)}))`]),
  ];
  const byOwner: string[][] = names.map(() => []);
  w.members.forEach((m, i) => {
    const o = owners.get(m.owner) as number;
    lines.push(
      `; d${i}: ${m.ref.cell} ${m.ref.what} -> owner ${o}`,
      `(define-fun d${i} () Bool (and (<= ${num(m.start)} x) (< x (+ ${num(m.start)} ${num(m.end - m.start)}))))`,
    );
    byOwner[o]?.push(`d${i}`);
  });
  const any = (ds: readonly string[]) => (ds.length === 1 ? ds[0] : `(or ${ds.join(" ")})`);
  if (relevant.length === 0) {
    byOwner.forEach((ds, o) => {
      lines.push(`(define-fun o${o} () Int (ite ${any(ds)} 1 0))`);
    });
    const terms = byOwner.map((_, o) => `o${o}`);
    lines.push(`(assert (>= ${terms.length === 1 ? terms[0] : `(+ ${terms.join(" ")})`} 2))`, "(check-sat)", "");
    return lines.join("\n");
  }
  byOwner.forEach((ds, o) => {
    lines.push(`(define-fun h${o} () Bool ${any(ds)})`);
  });
  relevant.forEach((d, k) => {
    lines.push(
      `; s${k}: declared sharing of ${d.cells.join(", ")}`,
      `(define-fun s${k} () Bool (and (<= ${num(d.start)} x) (< x ${num(d.end)})))`,
    );
  });
  const pairs: string[] = [];
  for (let o = 0; o < names.length; o++) {
    for (let p = o + 1; p < names.length; p++) {
      const cover = relevant
        .map((d, k) => ({ d, k }))
        .filter(({ d }) => d.cells.includes(names[o] as string) && d.cells.includes(names[p] as string))
        .map(({ k }) => `s${k}`);
      pairs.push(cover.length === 0 ? `(and h${o} h${p})` : `(and h${o} h${p} (not ${any(cover)}))`);
    }
  }
  lines.push(`(assert ${pairs.length === 1 ? pairs[0] : `(or ${pairs.join(" ")})`})`, "(check-sat)", "");
  return lines.join("\n");
}
