/**
 * A deterministic stream of Z3 obligations for the stress test: isolation obligations (disjoint
 * intervals from a seeded generator, half of them satisfiable, so the model's values are read
 * back) alternating with induction and BMC proofs of small models. Returns the verdicts in order,
 * so two runs can be compared verdict by verdict. Run as a script (`node --import tsx
 * z3Workload.ts N`) it prints the result as JSON, for the stress test's concurrent processes.
 */
import { fileURLToPath } from "node:url";
import {
  disjointObligation,
  type Interval,
  proveModel,
  resolveModels,
  solveOrUnknown,
  solverCounts,
} from "../../proofs/index.js";

export interface WorkloadResult {
  readonly obligations: number;
  readonly isolation: number;
  readonly induction: number;
  readonly verdicts: readonly string[];
  readonly counts: ReturnType<typeof solverCounts>;
}

function intervals(seed: number): Interval[] {
  let x = seed * 2654435761 + 1;
  const next = (m: number): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % m;
  };
  const ref = { cell: "c", what: "r", file: "f" };
  return Array.from({ length: 4 + next(8) }, () => {
    const start = BigInt(next(200) * 16);
    return { owner: `o${next(3)}`, start, end: start + BigInt(1 + next(40)), ref };
  });
}

const models = [
  ["DieHard", {}],
  ["ResourceOwnership", {}],
] as const;

export async function z3Workload(target: number): Promise<WorkloadResult> {
  const verdicts: string[] = [];
  let isolation = 0;
  let induction = 0;
  for (let round = 0; isolation + induction < target; round++) {
    for (let i = 0; i < 20; i++) {
      const o = await solveOrUnknown(disjointObligation("S", "stress", intervals(round * 20 + i)).smt2);
      const k = o.verdict === "sat" ? /#x([0-9a-f]+)/.exec(o.output)?.[1] : "";
      verdicts.push(`${o.verdict}:${k}`);
      isolation++;
    }
    const [name, params] = models[round % models.length] ?? models[0];
    const [resolved] = resolveModels([name], { ...params });
    if (!resolved) throw new Error(name);
    const proof = await proveModel(resolved.model, { bmc: 1 });
    const queries = proof.predicates.flatMap((p) => p.queries);
    induction += queries.length + proof.bmc.scripts.length;
    verdicts.push(
      JSON.stringify([
        name,
        proof.unknown ?? "",
        proof.predicates.map((p) => [p.name, p.status, p.queries.map((q) => q.verdict)]),
        proof.bmc.violations.map((v) => [v.name, v.depth]),
      ]),
    );
  }
  return { obligations: isolation + induction, isolation, induction, verdicts, counts: solverCounts() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await z3Workload(Number(process.argv[2] ?? 100));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
