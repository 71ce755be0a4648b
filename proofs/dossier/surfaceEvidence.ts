/**
 * Evidence that each cell reaches only the hypervisor code its configuration needs: the reachable
 * surface of every cell of the set on the TypeScript core (`warden audit surface`), no non-root
 * cell reaching a management handler past its refusal, and the `surface:` targets of
 * hypervisor/budget.yaml that name the set's cells. Per-cell numbers go into the metrics, which
 * the dossier's surface table and chart are drawn from (so a reused item needs no recomputation).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBudget } from "../audit/checkBudget.js";
import { checkSurfaceBudget } from "../audit/surface/surfaceBudget.js";
import { tsSurface } from "../audit/surface/tsSurface.js";
import { packageRoot, version } from "../packageRoot.js";
import { coreHash, moduleHash, toolHash } from "./codeDirs.js";
import { contentHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

const budgetFile = join(packageRoot, "hypervisor", "budget.yaml");
/** Root-only hypercalls: their handlers' bodies must stay unreachable from every non-root cell. */
const management = ["DISABLE", "CELL_CREATE", "CELL_START", "CELL_SET_LOADABLE", "CELL_DESTROY", "CELL_GET_STATE"];

export const surfaceEvidence: EvidenceProducer = {
  name: "surface",
  stage: "reachable surface per cell",
  jobs: (ctx) => [
    {
      key: "cells",
      params: { budget: "hypervisor/budget.yaml" },
      inputs: {
        producer: moduleHash(import.meta.url),
        config: ctx.config,
        code: coreHash(),
        budget: contentHash(readFileSync(budgetFile)),
        audit: toolHash("proofs/audit"),
      },
      ids: ["surface:cells"],
      run: async () => {
        const t = performance.now();
        const report = tsSurface(ctx.set);
        const results = checkSurfaceBudget(loadBudget(budgetFile), report);
        const ms = performance.now() - t;
        const problems = [
          ...report.cells
            .filter((c) => !c.root)
            .flatMap((c) =>
              c.entries
                .filter((e) => management.includes(e.name) && !e.refused)
                .map((e) => `${c.cell} completes ${e.name}`),
            ),
          ...results.flatMap((r) => r.overruns.map((o) => `${r.target}: ${o.cell}: ${o.message}`)),
        ];
        const metrics: Record<string, number> = {};
        for (const c of report.cells) {
          metrics[`${c.cell}:lines`] = c.lines;
          metrics[`${c.cell}:functions`] = c.functions;
          metrics[`${c.cell}:entries`] = c.entries.filter((e) => !e.refused).length;
          metrics[`${c.cell}:legacy`] = c.legacy.length;
          const limit = results.find((r) => r.checked && r.cell === c.cell)?.limit;
          if (limit !== undefined) metrics[`${c.cell}:limit`] = limit;
        }
        const checked = results.filter((r) => r.checked).length;
        return [
          {
            id: "surface:cells",
            title: "each cell's reachable hypervisor surface",
            result: problems.length === 0 ? "pass" : "fail",
            detail: `${report.cells
              .map(
                (c) =>
                  `${c.cell}${c.root ? " (root)" : ""} ${c.lines} lines from ${metrics[`${c.cell}:entries`]} entry points${c.legacy.length ? ` (legacy: ${c.legacy.map((l) => l.tag).join(", ")})` : ""}`,
              )
              .join(
                "; ",
              )}; ${checked} surface budget target(s) checked${problems.length ? `; ${problems.join("; ")}` : ""}`,
            tool: `warden ${version} audit surface (TypeScript call graph, cloc rules)`,
            ms,
            metrics,
            ...(problems.length ? { counterexample: { text: `${problems.join("\n")}\n` } } : {}),
          },
        ];
      },
    },
  ],
};
