/** Evidence from the code-size audit of hypervisor/ against its budget (hypervisor/budget.yaml). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auditTree } from "../audit/auditTree.js";
import { checkBudget, loadBudget } from "../audit/checkBudget.js";
import { packageRoot, version } from "../packageRoot.js";
import { coreHash, moduleHash, toolHash } from "./codeDirs.js";
import { contentHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

const hypervisorDir = join(packageRoot, "hypervisor");
const budgetFile = join(hypervisorDir, "budget.yaml");

export const budgetEvidence: EvidenceProducer = {
  name: "budget",
  stage: "code-size budget",
  jobs: () => {
    const budget = loadBudget(budgetFile);
    return [
      {
        key: "hypervisor",
        params: { budget: "hypervisor/budget.yaml" },
        inputs: {
          producer: moduleHash(import.meta.url),
          code: coreHash(),
          budget: contentHash(readFileSync(budgetFile)),
          audit: toolHash("proofs/audit"),
        },
        ids: Object.keys(budget.targets).map((t) => `budget:${t}`),
        run: async () => {
          const t = performance.now();
          const targets = checkBudget(budget, auditTree(hypervisorDir));
          const ms = performance.now() - t;
          return targets.map((target) => ({
            id: `budget:${target.target}`,
            title: `code size of ${target.target}`,
            result: target.overruns.length === 0 ? "pass" : "fail",
            detail: `${target.code} of ${target.limit} code lines in ${target.files} files${target.overruns.length ? `; ${target.overruns.join("; ")}` : ""}`,
            tool: `warden ${version} audit (cloc rules)`,
            ms,
            metrics: { code: target.code, limit: target.limit, files: target.files },
            ...(target.overruns.length ? { counterexample: { text: `${target.overruns.join("\n")}\n` } } : {}),
          }));
        },
      },
    ];
  },
};
