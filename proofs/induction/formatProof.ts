/** Text and JSON renderings of a model proof, with traces printed the way `warden check` prints them. */
import { type TraceInput, toItf, traceTable } from "../../generators/index.js";
import type { Cti, InductionVerdict } from "./induction.js";
import type { ModelProof } from "./proveModel.js";

/** A counterexample to induction as a two-state trace (the first state is not claimed reachable). */
export function ctiTrace(vars: readonly string[], cti: Cti): TraceInput {
  return {
    vars,
    steps: [
      { action: "(any state)", values: cti.from },
      { action: cti.action, values: cti.to },
    ],
  };
}

const assumption = (v: InductionVerdict, lemmas: readonly string[]): string =>
  ["TypeOK", ...lemmas.filter((n) => n !== "TypeOK" && n !== v.name)].join(", ");

function verdictLine(p: InductionVerdict, others: readonly string[]): string {
  const initial = p.initial ? "" : " (but an initial state violates it)";
  switch (p.status) {
    case "inductive":
      return `[inductive] ${p.name}: inductive alone (assuming TypeOK)${initial}\n`;
    case "inductiveWithLemmas":
      return `[inductive] ${p.name}: inductive with lemmas ${p.lemmas.join(", ")} (not alone)${initial}\n`;
    case "notInductive":
      return `[not inductive] ${p.name}: counterexample to induction assuming ${assumption(p, others)}${initial}\n`;
  }
}

export function formatModelProof(proof: ModelProof): string {
  const { vars } = proof;
  const out: string[] = [];
  const kept = proof.predicates.filter((p) => p.status !== "notInductive").map((p) => p.name);
  for (const p of proof.predicates) {
    out.push(verdictLine(p, kept));
    const cti = p.status === "notInductive" ? (p.ctiWithLemmas ?? p.ctiAlone) : undefined;
    if (cti) out.push(indent(traceTable(ctiTrace(vars, cti))));
    if (cti?.unconfirmed) out.push(`    (not replayed by the checker: ${cti.unconfirmed})\n`);
  }
  const { bmc } = proof;
  for (const v of bmc.violations) {
    out.push(`[violated] ${v.name}: bounded model checking finds a violation after ${v.depth} steps\n`);
    out.push(indent(traceTable(v.trace)));
  }
  const clean = proof.predicates.filter((p) => !bmc.violations.some((v) => v.name === p.name)).map((p) => p.name);
  if (clean.length > 0 && proof.unknown === undefined)
    out.push(`[bmc] no violation of ${clean.join(", ")} within ${bmc.bound} steps\n`);
  if (proof.unknown !== undefined) out.push(`[unknown] ${proof.model}: ${proof.unknown}\n`);
  out.push(`Z3: induction ${proof.ms.induction} ms, BMC ${proof.ms.bmc} ms\n`);
  return out.join("");
}

const indent = (text: string): string =>
  text
    .split("\n")
    .map((l) => (l ? `    ${l}` : l))
    .join("\n");

export function modelProofJson(proof: ModelProof, params: Readonly<Record<string, string>>): object {
  const { vars } = proof;
  return {
    model: proof.model,
    params,
    predicates: proof.predicates.map((p) => ({
      name: p.name,
      kind: p.kind,
      initial: p.initial,
      status: p.status,
      lemmas: p.lemmas,
      ...(p.ctiAlone ? { ctiAlone: toItf(ctiTrace(vars, p.ctiAlone)) } : {}),
      ...(p.ctiWithLemmas ? { ctiWithLemmas: toItf(ctiTrace(vars, p.ctiWithLemmas)) } : {}),
      queries: p.queries.map((q) => ({ assumed: q.assumed, verdict: q.verdict, ms: q.ms })),
    })),
    bmc: {
      bound: proof.bmc.bound,
      violations: proof.bmc.violations.map((v) => ({ name: v.name, depth: v.depth, trace: toItf(v.trace) })),
      ms: proof.bmc.ms,
    },
    ms: proof.ms,
    ...(proof.unknown !== undefined ? { unknown: proof.unknown } : {}),
  };
}

/** Whether the proof failed: a violation within the bound, a predicate with no inductive strengthening, or no whole answer. */
export const proofFailed = (proof: ModelProof): boolean =>
  proof.unknown !== undefined ||
  proof.bmc.violations.length > 0 ||
  proof.predicates.some((p) => p.status === "notInductive");

/** The first counterexample (a BMC trace before a CTI), as ITF. */
export function firstCounterexample(proof: ModelProof): object | undefined {
  const { vars } = proof;
  const v = proof.bmc.violations[0];
  if (v) return toItf(v.trace, { source: `warden prove --model ${proof.model}`, property: v.name });
  const p = proof.predicates.find((x) => x.status === "notInductive");
  const cti = p?.ctiWithLemmas ?? p?.ctiAlone;
  return p && cti
    ? toItf(ctiTrace(vars, cti), { source: `warden prove --model ${proof.model}`, property: p.name, kind: "CTI" })
    : undefined;
}

/** Every obligation's script with a file name: `<predicate>-<n>.smt2` and `bmc-<depth>-<n>.smt2`. */
export function obligationFiles(proof: ModelProof): { name: string; smt2: string }[] {
  const files = proof.predicates.flatMap((p) =>
    p.queries.map((q, i) => ({ name: `${p.name}-${i}.smt2`, smt2: q.smt2 })),
  );
  const seen = new Map<number, number>();
  for (const s of proof.bmc.scripts) {
    const n = seen.get(s.depth) ?? 0;
    seen.set(s.depth, n + 1);
    files.push({ name: `bmc-${s.depth}-${n}.smt2`, smt2: s.smt2 });
  }
  return files;
}
