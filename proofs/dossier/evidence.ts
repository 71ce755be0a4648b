/**
 * Runs every evidence producer on a configuration set and records, per item, what it checked,
 * the result, the tool and its version, parameters and seed, the duration, and content hashes of
 * its inputs — so a certifier can tell what was shown, by what, and whether it is still current.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigSet } from "../../hypervisor/index.js";
import { encodeCell, encodeSystem } from "../../hypervisor/index.js";
import { auditTree } from "../audit/auditTree.js";
import { checkBudget, loadBudget } from "../audit/checkBudget.js";
import { inputHash } from "../check/inputHash.js";
import { resolveModels } from "../check/resolveModels.js";
import { checkModel } from "../explicit/checkModel.js";
import { configFacts } from "../instantiate/configFacts.js";
import { proveIsolation } from "../isolation/proveIsolation.js";
import { rules } from "../isolation/rules.js";
import { z3Version } from "../isolation/z3.js";
import { packageRoot, version } from "../packageRoot.js";
import { bindings } from "../refinement/bindings.js";
import { conform } from "../refinement/conform.js";
import { builtinImplementation } from "../refinement/coreImplementation.js";

/** The Jailhouse models checked on the configuration set, as instantiated from it. */
const dossierModels = ["CellLifecycle", "ResourceOwnership", "ManagementVote"];
export interface EvidenceItem {
  readonly id: string;
  readonly title: string;
  readonly result: "pass" | "fail" | "inconclusive";
  readonly detail: string;
  readonly tool: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly ms: number;
  /** Content hashes (sha256, 16 hex digits) of what the result depends on. */
  readonly inputs: Readonly<Record<string, string>>;
}

export interface EvidenceOptions {
  readonly conformRuns: number;
  readonly conformSteps: number;
  readonly seed: number;
}

const hash = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex").slice(0, 16);

/** The configuration set's bytes, as the upstream binary format, hashed. */
export function configHash(set: ConfigSet): string {
  const h = createHash("sha256").update(encodeSystem(set.system.config));
  for (const c of set.cells) h.update(encodeCell(c.config));
  return h.digest("hex").slice(0, 16);
}

/** The ids `collectEvidence` will produce for `set`, known before anything runs (to check the catalogue's links first). */
export function plannedEvidenceIds(set: ConfigSet): Set<string> {
  const ids = new Set<string>();
  for (const r of resolveModels(dossierModels, {}, configFacts(set))) {
    for (const n of [...r.model.invariants, ...r.model.properties]) ids.add(`model:${r.name}.${n.name}`);
  }
  for (const rule of rules) ids.add(`rule:${rule.id}`);
  for (const b of Object.keys(bindings)) for (const mode of ["upstream", "strict"]) ids.add(`conform:${b}:${mode}`);
  for (const target of Object.keys(loadBudget(join(packageRoot, "hypervisor", "budget.yaml")).targets))
    ids.add(`budget:${target}`);
  return ids;
}

export async function collectEvidence(
  set: ConfigSet,
  options: EvidenceOptions,
  progress: (stage: string) => void,
): Promise<EvidenceItem[]> {
  const config = configHash(set);
  const items: EvidenceItem[] = [];
  progress("models");
  for (const resolved of resolveModels(dossierModels, {}, configFacts(set))) {
    const t = performance.now();
    const verdict = checkModel(resolved.model);
    const ms = performance.now() - t;
    const names = [...resolved.model.invariants.map((i) => i.name), ...resolved.model.properties.map((p) => p.name)];
    for (const name of names) {
      const failed = verdict.kind === "violated" && verdict.property === name;
      const result = verdict.kind === "holds" ? "pass" : failed ? "fail" : "inconclusive";
      items.push({
        id: `model:${resolved.name}.${name}`,
        title: `${resolved.name} ${name}`,
        result,
        detail: failed
          ? `violated, counterexample of ${verdict.trace.steps.length} states`
          : `${verdict.kind === "holds" ? "holds" : `not reached: ${verdict.kind === "violated" ? verdict.property : verdict.kind} first`} over ${verdict.stats.distinctStates} states, depth ${verdict.stats.depth}`,
        tool: `warden ${version} explicit-state checker`,
        params: Object.fromEntries(Object.entries(resolved.params)),
        ms,
        inputs: { model: inputHash(resolved.model), config },
      });
    }
  }
  progress("isolation proofs");
  const z3 = await z3Version();
  for (const r of await proveIsolation(set)) {
    items.push({
      id: `rule:${r.rule.id}`,
      title: r.rule.title,
      result: r.verdict === "proved" ? "pass" : "fail",
      detail: r.verdict === "proved" ? "proved (unsat)" : `violated: ${r.witnesses.length} overlap(s)`,
      tool: `Z3 ${z3} (z3-solver wasm)`,
      params: {},
      ms: r.ms,
      inputs: { obligation: hash(r.smt2), config },
    });
  }
  progress("conformance");
  const hypervisorDir = join(packageRoot, "hypervisor");
  const sources = auditTree(hypervisorDir);
  const core = hash(sources.map((f) => readFileSync(join(hypervisorDir, f.file), "utf8")).join("\0"));
  for (const binding of Object.values(bindings)) {
    for (const mode of ["upstream", "strict"] as const) {
      const t = performance.now();
      const params = { runs: options.conformRuns, steps: options.conformSteps, seed: options.seed };
      const r = await conform(set, mode, builtinImplementation, params, binding);
      items.push({
        id: `conform:${binding.name}:${mode}`,
        title: `hypervisor core conforms to ${binding.name === "lifecycle" ? "CellLifecycle" : "ResourceOwnership"} (${mode})`,
        result: r.failure ? "fail" : "pass",
        detail: r.failure
          ? `departs at step ${r.failure.departure.step}: ${r.failure.departure.command}`
          : `${r.stepsChecked} steps conform over ${r.runs} runs (${r.unmodelled} outside the abstraction)`,
        tool: `warden ${version} conform (fast-check)`,
        params: { ...params, mode },
        ms: performance.now() - t,
        inputs: { core, config },
      });
    }
  }
  progress("code-size budget");
  const t = performance.now();
  const budgetFile = join(hypervisorDir, "budget.yaml");
  const targets = checkBudget(loadBudget(budgetFile), sources);
  const ms = performance.now() - t;
  for (const target of targets) {
    items.push({
      id: `budget:${target.target}`,
      title: `code size of ${target.target}`,
      result: target.overruns.length === 0 ? "pass" : "fail",
      detail: `${target.code} of ${target.limit} code lines in ${target.files} files${target.overruns.length ? `; ${target.overruns.join("; ")}` : ""}`,
      tool: `warden ${version} audit (cloc rules)`,
      params: { budget: "hypervisor/budget.yaml" },
      ms,
      inputs: { code: core, budget: hash(readFileSync(budgetFile)) },
    });
  }
  return items;
}
