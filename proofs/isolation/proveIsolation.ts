/**
 * Proves each isolation rule on a configuration set with Z3, and checks it again with the exact
 * sweep line; the two must agree. A violation carries a witness (the shared address, CPU, device
 * or pin and the two descriptors with file and byte offset), re-validated by direct evaluation
 * before it is reported.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import { contains, type Interval, type Ref, sweepOverlaps } from "./intervals.js";
import { type Rule, rules } from "./rules.js";
import type { SharingDeclaration } from "./sharingPolicy.js";
import { disjointObligation } from "./smtDisjoint.js";
import { type StreamEntry, sharedStream, streamEntries, streamObligation } from "./streamIds.js";
import { solveOrUnknown } from "./z3.js";

export interface Witness {
  /** The shared value: an address, CPU number, encoded PCI address or pin. */
  readonly at: bigint;
  readonly first: Ref;
  readonly second: Ref;
}

export interface ObligationResult {
  readonly rule: Rule;
  /** `unknown`: Z3 gave no whole answer (see `reason`); never counted as proved. */
  readonly verdict: "proved" | "violated" | "unknown";
  readonly smt2: string;
  readonly z3: "unsat" | "sat" | "unknown";
  readonly reason?: string;
  /** The sweep line's findings (all of them); the first is the Z3 witness when Z3 found one. */
  readonly witnesses: readonly Witness[];
  readonly ms: number;
}

export async function proveIsolation(
  set: ConfigSet,
  policy: readonly SharingDeclaration[] = [],
): Promise<ObligationResult[]> {
  const out: ObligationResult[] = [];
  for (const rule of rules) {
    const started = performance.now();
    const intervals = rule.intervals(set, policy);
    const { smt2, pieces } = disjointObligation(rule.id, rule.title, intervals);
    const outcome = await solveOrUnknown(smt2);
    const { verdict: z3, output: answer } = outcome;
    const sweep = sweepOverlaps(intervals, 100);
    const witnesses: Witness[] = [];
    if (outcome.verdict === "unknown") {
      const ms = Math.round(performance.now() - started);
      const found = sweep.map((o) => ({ at: o.at, first: o.a.ref, second: o.b.ref }));
      out.push({ rule, verdict: "unknown", smt2, z3, reason: outcome.reason, witnesses: found, ms });
      continue;
    }
    if (z3 === "sat") {
      // The model's k names neighbours k and k+1; the start of piece k+1 lies in both.
      const k = Number(parseModelValue(answer));
      const x = pieces[k + 1]?.start ?? -1n;
      const w = witnessAt(intervals, x);
      if (!w) throw new Error(`${rule.id}: Z3's witness ${x} does not re-validate`);
      witnesses.push(w);
    }
    for (const o of sweep) {
      if (!witnesses.some((w) => sameWitness(w, o.a.ref, o.b.ref)))
        witnesses.push({ at: o.at, first: o.a.ref, second: o.b.ref });
    }
    if ((z3 === "sat") !== sweep.length > 0) {
      throw new Error(`${rule.id}: Z3 (${z3}) and the sweep line (${sweep.length} findings) disagree`);
    }
    out.push({
      rule,
      verdict: z3 === "unsat" ? "proved" : "violated",
      smt2,
      z3,
      witnesses,
      ms: Math.round(performance.now() - started),
    });
  }
  out.push(await proveStreams(set));
  return out;
}

export const streamRule: Rule = {
  id: "WRD-STREAM-EXCLUSIVE",
  title: "SMMU stream IDs are exclusive among non-root cells",
  description:
    "An MMU-500 entry covered by another is silently re-targeted at create; a device's DMA would then be translated for the wrong cell.",
  intervals: () => [],
};

async function proveStreams(set: ConfigSet): Promise<ObligationResult> {
  const started = performance.now();
  const entries = streamEntries(set);
  const smt2 = streamObligation(entries);
  const outcome = await solveOrUnknown(smt2);
  const first = outcome.verdict;
  const witnesses: Witness[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i] as StreamEntry;
      const b = entries[j] as StreamEntry;
      const shared = a.owner === b.owner ? undefined : sharedStream(a, b);
      if (shared !== undefined) witnesses.push({ at: BigInt(shared), first: a.ref, second: b.ref });
    }
  }
  if (outcome.verdict === "unknown") {
    const ms = Math.round(performance.now() - started);
    return { rule: streamRule, verdict: "unknown", smt2, z3: first, reason: outcome.reason, witnesses, ms };
  }
  if ((first === "sat") !== witnesses.length > 0) throw new Error(`${streamRule.id}: Z3 and the direct check disagree`);
  return {
    rule: streamRule,
    verdict: first === "unsat" ? "proved" : "violated",
    smt2,
    z3: first,
    witnesses,
    ms: Math.round(performance.now() - started),
  };
}

/** Reads `((k #x…))` or `((k (_ bvN 32)))` from Z3's get-value output. */
function parseModelValue(answer: string): bigint {
  const hex = /#x([0-9a-f]+)/.exec(answer);
  if (hex) return BigInt(`0x${hex[1]}`);
  const bin = /#b([01]+)/.exec(answer);
  if (bin) return BigInt(`0b${bin[1]}`);
  const dec = /\(_ bv(\d+) \d+\)/.exec(answer);
  if (dec) return BigInt(dec[1] ?? "0");
  throw new Error(`cannot read a value from Z3's model: ${answer.slice(0, 200)}`);
}

/** Two intervals of different owners containing `x`, checked directly. */
function witnessAt(intervals: readonly Interval[], x: bigint): Witness | undefined {
  const hits = intervals.filter((i) => contains(i, x));
  for (const a of hits) {
    const b = hits.find((h) => h.owner !== a.owner);
    if (b) return { at: x, first: a.ref, second: b.ref };
  }
  return undefined;
}

const sameWitness = (w: Witness, a: Ref, b: Ref): boolean =>
  (w.first === a && w.second === b) || (w.first === b && w.second === a);
