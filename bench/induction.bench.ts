/**
 * Z3 induction and bounded model checking against the explicit checker's full run, per model and
 * parameters, in the same process. BMC goes to the depth of the checker's search (its
 * counterexample length for violated models), so both explore the same horizon. With WARDEN_Z3
 * naming a native z3, the same obligations are also timed on it (otherwise those columns are "-").
 */
import { checkModel, proveModel, resolveModels } from "../proofs/index.js";
import { printTable } from "./table.js";

const cases: readonly [string, Record<string, string>][] = [
  ["DieHard", {}],
  ["Peterson", { bug: "true" }],
  ["TwoPhase", { rms: "3" }],
  ["CellLifecycle", {}],
  ["ResourceOwnership", {}],
  ["ResourceOwnership", { mode: "strict" }],
];

export default async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [name, params] of cases) {
    const [r] = resolveModels([name], params);
    if (!r) continue;
    const started = performance.now();
    const v = checkModel(r.model, { symmetry: false });
    const explicitMs = performance.now() - started;
    const depth = v.kind === "violated" ? v.trace.steps.length - 1 : Math.max(0, v.stats.depth - 1);
    const native = process.env.WARDEN_Z3;
    delete process.env.WARDEN_Z3;
    const proof = await proveModel(r.model, { bmc: depth });
    let nativeMs: [number | string, number | string] = ["-", "-"];
    if (native) {
      process.env.WARDEN_Z3 = native;
      const again = await proveModel(r.model, { bmc: depth });
      nativeMs = [again.ms.induction, again.ms.bmc];
    }
    const label = `${name} ${Object.entries(params)
      .map(([k, x]) => `${k}=${x}`)
      .join(" ")}`.trim();
    const proved = proof.predicates.filter((p) => p.status !== "notInductive").length;
    rows.push([
      label,
      v.stats.distinctStates,
      Math.round(explicitMs),
      `${proved}/${proof.predicates.length}`,
      proof.ms.induction,
      depth,
      proof.ms.bmc,
      `${(proof.ms.induction / Math.max(explicitMs, 1)).toFixed(1)}x`,
      `${(proof.ms.bmc / Math.max(explicitMs, 1)).toFixed(1)}x`,
      ...nativeMs,
    ]);
  }
  printTable(
    "Z3 induction and BMC vs the explicit checker (same process)",
    [
      "model",
      "distinct states",
      "checker ms",
      "inductive",
      "induction ms",
      "BMC depth",
      "BMC ms",
      "induction/checker",
      "BMC/checker",
      "native induction ms",
      "native BMC ms",
    ],
    rows,
  );
}
