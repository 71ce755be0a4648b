/**
 * Proves each isolation rule on a configuration set with Z3, and checks it again with the exact
 * sweep line; the two must agree. Up to `rawLimit` descriptors per rule the solver is asked the
 * question itself over the raw descriptors, window by window (`smtOverlap.ts`); above it, the
 * neighbour form (`smtDisjoint.ts`) in parts. A violation carries a witness (the shared address,
 * CPU, device or pin and the two descriptors with file and byte offset), re-validated by direct
 * evaluation before it is reported.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import {
  byStart,
  contains,
  type Declared,
  firstUndeclared,
  type Interval,
  type Ref,
  sweepOverlaps,
} from "./intervals.js";
import { type Rule, rules } from "./rules.js";
import { declaredFor, type SharingDeclaration } from "./sharingPolicy.js";
import { disjointObligation } from "./smtDisjoint.js";
import { overlapScript, windowsOf } from "./smtOverlap.js";
import { type Solved, solveObligation, solveObligations } from "./solveObligation.js";
import { type StreamEntry, sharedStream, streamEntries, streamObligation } from "./streamIds.js";

export interface Witness {
  /** The shared value: an address, CPU number, encoded PCI address or pin. */
  readonly at: bigint;
  readonly first: Ref;
  readonly second: Ref;
}

/** One script given to the solver, saved by `--smt2` under `name`. */
export interface ObligationPart {
  readonly name: string;
  readonly smt2: string;
  readonly z3: "unsat" | "sat" | "unknown";
}

export interface ObligationResult {
  readonly rule: Rule;
  /** `unknown`: Z3 gave no whole answer for some part (see `reason`); never counted as proved. */
  readonly verdict: "proved" | "violated" | "unknown";
  readonly reason?: string;
  /** Every part's script, concatenated (for hashing). */
  readonly smt2: string;
  /** "none": the rule has no descriptors (or fewer than two owners of stream IDs); nothing to ask. */
  readonly z3: "unsat" | "sat" | "unknown" | "none";
  /** How the solver was asked: over raw descriptors, over sorted neighbours, or not at all. */
  readonly encoding: "raw" | "neighbours" | "vacuous";
  readonly parts: readonly ObligationPart[];
  /** The sweep line's findings (all of them); the first is the Z3 witness when Z3 found one. */
  readonly witnesses: readonly Witness[];
  readonly ms: number;
}

export interface ProveOptions {
  /** Rules with at most this many descriptors are asked over raw descriptors (default 2,048). */
  readonly rawLimit?: number;
  /** Descriptors per raw window (default 64). */
  readonly window?: number;
  /** Neighbour pairs per part of the neighbour form (default 5,000: smaller parts solve faster per pair). */
  readonly chunk?: number;
  /** Prove only these rules (by id); default all. */
  readonly only?: readonly string[];
}

export async function proveIsolation(
  set: ConfigSet,
  policy: readonly SharingDeclaration[] = [],
  options: ProveOptions = {},
): Promise<ObligationResult[]> {
  const out: ObligationResult[] = [];
  const wanted = (id: string) => options.only === undefined || options.only.includes(id);
  for (const rule of rules.filter((r) => wanted(r.id)))
    out.push(
      await proveRule(rule, rule.intervals(set), rule.sharing ? declaredFor(policy, rule.sharing) : [], options),
    );
  if (wanted(streamRule.id)) out.push(await proveStreams(set));
  return out;
}

async function proveRule(
  rule: Rule,
  intervals: readonly Interval[],
  declared: readonly SharingDeclaration[],
  options: ProveOptions,
): Promise<ObligationResult> {
  const started = performance.now();
  const live = intervals.filter((i) => i.end > i.start);
  // Sorted once here; the sweep and the merge sort again, which on sorted input is one pass.
  // `live` keeps the configuration's order: windows and witnesses are read from it.
  const sorted = [...live].sort(byStart);
  const sweep = sweepOverlaps(sorted, 100, declared);
  const parts: ObligationPart[] = [];
  const witnesses: Witness[] = [];
  let encoding: ObligationResult["encoding"] = "vacuous";
  let unknown: string | undefined;
  const name = (k: number, n: number) => (n === 1 ? rule.id : `${rule.id}.part-${String(k + 1).padStart(4, "0")}`);
  // Declared sharing has no neighbour form (shared pieces may overlap): such rules stay raw at any size.
  if (live.length > 0 && (live.length <= (options.rawLimit ?? 2048) || declared.length > 0)) {
    encoding = "raw";
    const windows = windowsOf(live, options.window ?? 64);
    const label = (k: number) => (windows.length === 1 ? "" : ` window ${k + 1} of ${windows.length}`);
    const scripts = windows.map((w, k) => overlapScript(rule.id, rule.title, label(k), w, declared));
    const answers = await solveObligations(scripts);
    for (const [k, smt2] of scripts.entries()) {
      const { verdict, reason } = answers[k] as Solved;
      parts.push({ name: name(k, windows.length), smt2, z3: verdict });
      unknown ??= reason;
      if (verdict === "sat" && witnesses.length === 0) {
        const model = await solveObligation(`${smt2}(get-value (x))\n`);
        if (model.verdict !== "sat") {
          unknown ??= model.reason ?? `Z3 answered ${model.verdict} when asked for the witness`;
          continue;
        }
        const x = parseDecimal(model.output, /\(\(x\s+(\d+)\)\)/);
        const wit = witnessAt(live, x, declared);
        if (!wit) throw new Error(`${rule.id}: Z3's witness ${x} does not re-validate`);
        witnesses.push(wit);
      }
    }
  } else if (live.length > 0) {
    encoding = "neighbours";
    const { parts: scripts, pieces } = disjointObligation(rule.id, rule.title, sorted, options.chunk ?? 5_000);
    const answers = await solveObligations(scripts.map((p) => p.smt2));
    for (const [k, p] of scripts.entries()) {
      const { verdict, reason } = answers[k] as Solved;
      parts.push({ name: name(k, scripts.length), smt2: p.smt2, z3: verdict });
      unknown ??= reason;
      if (verdict === "sat" && witnesses.length === 0) {
        // The model's k names neighbours k and k+1; the start of piece k+1 lies in both.
        const model = await solveObligation(p.witness());
        if (model.verdict !== "sat") {
          unknown ??= model.reason ?? `Z3 answered ${model.verdict} when asked for the witness`;
          continue;
        }
        const at = pieces[Number(parseBv(model.output)) + 1]?.start ?? -1n;
        const wit = witnessAt(live, at);
        if (!wit) throw new Error(`${rule.id}: Z3's witness ${at} does not re-validate`);
        witnesses.push(wit);
      }
    }
  }
  const z3 =
    parts.length === 0
      ? "none"
      : parts.some((p) => p.z3 === "sat")
        ? "sat"
        : parts.some((p) => p.z3 === "unknown")
          ? "unknown"
          : "unsat";
  for (const o of sweep) {
    if (!witnesses.some((w) => sameWitness(w, o.a.ref, o.b.ref)))
      witnesses.push({ at: o.at, first: o.a.ref, second: o.b.ref });
  }
  const ms = Math.round(performance.now() - started);
  const smt2 = parts.map((p) => p.smt2).join("\n");
  // An incomplete answer is never a verdict: the sweep line's findings are still shown.
  if (unknown !== undefined)
    return { rule, verdict: "unknown", reason: unknown, smt2, z3, encoding, parts, witnesses, ms };
  if ((z3 === "sat") !== sweep.length > 0) {
    throw new Error(`${rule.id}: Z3 (${z3}) and the sweep line (${sweep.length} findings) disagree`);
  }
  return {
    rule,
    verdict: sweep.length > 0 ? "violated" : "proved",
    smt2,
    z3,
    encoding,
    parts,
    witnesses,
    ms: Math.round(performance.now() - started),
  };
}

export const streamRule: Rule = {
  id: "WRD-STREAM-EXCLUSIVE",
  title: "IOMMU stream IDs are exclusive among non-root cells",
  description:
    "An MMU-500 entry covered by another is silently re-targeted at create, and an SMMUv3 or PVU stream given to two cells is translated for the last one created; a device's DMA would then be translated for the wrong cell.",
  intervals: () => [],
};

async function proveStreams(set: ConfigSet): Promise<ObligationResult> {
  const started = performance.now();
  const entries = streamEntries(set);
  const witnesses: Witness[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i] as StreamEntry;
      const b = entries[j] as StreamEntry;
      const shared = a.owner === b.owner ? undefined : sharedStream(a, b);
      if (shared !== undefined) witnesses.push({ at: BigInt(shared), first: a.ref, second: b.ref });
    }
  }
  const owners = new Set(entries.map((e) => e.owner)).size;
  const parts: ObligationPart[] = [];
  if (owners >= 2) {
    const smt2 = streamObligation(entries);
    const { verdict, reason } = await solveObligation(smt2);
    parts.push({ name: streamRule.id, smt2, z3: verdict });
    if (reason !== undefined)
      return {
        rule: streamRule,
        verdict: "unknown",
        reason,
        smt2,
        z3: verdict,
        encoding: "raw",
        parts,
        witnesses,
        ms: Math.round(performance.now() - started),
      };
    if ((verdict === "sat") !== witnesses.length > 0)
      throw new Error(`${streamRule.id}: Z3 and the direct check disagree`);
  }
  const z3 = parts[0]?.z3 ?? "none";
  return {
    rule: streamRule,
    verdict: witnesses.length > 0 ? "violated" : "proved",
    smt2: parts[0]?.smt2 ?? "",
    z3,
    encoding: parts.length === 0 ? "vacuous" : "raw",
    parts,
    witnesses,
    ms: Math.round(performance.now() - started),
  };
}

const parseDecimal = (answer: string, re: RegExp): bigint => {
  const m = re.exec(answer);
  if (!m) throw new Error(`cannot read a value from Z3's model: ${answer.slice(0, 200)}`);
  return BigInt(m[1] ?? "0");
};

/** Reads `((k #x…))` or `((k (_ bvN 32)))` from Z3's get-value output. */
function parseBv(answer: string): bigint {
  const hex = /#x([0-9a-f]+)/.exec(answer);
  if (hex) return BigInt(`0x${hex[1]}`);
  const bin = /#b([01]+)/.exec(answer);
  if (bin) return BigInt(`0b${bin[1]}`);
  const dec = /\(_ bv(\d+) \d+\)/.exec(answer);
  if (dec) return BigInt(dec[1] ?? "0");
  throw new Error(`cannot read a value from Z3's model: ${answer.slice(0, 200)}`);
}

/** Two intervals of different owners containing `x`, not declared shared there, checked directly. */
function witnessAt(intervals: readonly Interval[], x: bigint, declared: readonly Declared[] = []): Witness | undefined {
  const hits = intervals.filter((i) => contains(i, x));
  for (const a of hits) {
    const b = hits.find((h) => h.owner !== a.owner && firstUndeclared(x, x + 1n, a.owner, h.owner, declared) === x);
    if (b) return { at: x, first: a.ref, second: b.ref };
  }
  return undefined;
}

const sameWitness = (w: Witness, a: Ref, b: Ref): boolean =>
  (w.first === a && w.second === b) || (w.first === b && w.second === a);
