/**
 * Evidence that Warden's executable core agrees with upstream Jailhouse: `warden diff-core` on the
 * set (the TypeScript core and upstream's own C core through the harness, step by step), and the
 * C core's own conformance to CellLifecycle. Needs an upstream tree (WARDEN_UPSTREAM_SRC), gcc and
 * an x86 set; without them the items are "not run", so the requirement stays missing, not ok.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { packageRoot, version } from "../packageRoot.js";
import { lifecycleBinding } from "../refinement/bindings.js";
import { conform } from "../refinement/conform.js";
import { buildHarness, upstreamCommit, upstreamSource } from "../upstream/buildHarness.js";
import { diffCore } from "../upstream/diffCore.js";
import { harnessProcess } from "../upstream/harnessProcess.js";
import { upstreamImplementation } from "../upstream/upstreamImplementation.js";
import { coreHash, moduleHash, toolHash } from "./codeDirs.js";
import { treeHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";

const DIFF = "diff-core:upstream";
const CONFORM = "conform-upstream:lifecycle";

export const upstreamEvidence: EvidenceProducer = {
  name: "upstream",
  stage: "agreement with upstream Jailhouse's C core",
  jobs: (ctx) => {
    const dir = upstreamSource(undefined);
    const unavailable = !dir
      ? "no upstream Jailhouse tree (set WARDEN_UPSTREAM_SRC to a checkout of github.com/siemens/jailhouse)"
      : ctx.set.system.config.arch !== "x86"
        ? "the C harness simulates x86; this set is not x86"
        : spawnSync(process.env.WARDEN_CC ?? "gcc", ["--version"]).status !== 0
          ? "no gcc to build the C harness"
          : undefined;
    const commit = dir && !unavailable ? upstreamCommit(dir) : "none";
    const { conformRuns: runs, conformSteps: steps, seed } = ctx.options;
    const inputs = {
      producer: moduleHash(import.meta.url),
      core: coreHash(),
      harness: treeHash(join(packageRoot, "hypervisor", "harness"), /\.[ch]$/),
      upstream: `${dir ?? "none"}@${commit}`,
      config: ctx.config,
      tool: toolHash("proofs/upstream"),
    };
    const titles = {
      [DIFF]: "Warden's TypeScript core agrees with upstream Jailhouse's C core (diff-core)",
      [CONFORM]: "upstream Jailhouse's C core conforms to CellLifecycle (upstream)",
    };
    return [
      {
        key: "diff-core",
        params: { runs, steps, seed },
        inputs,
        ids: [DIFF],
        titles: { [DIFF]: titles[DIFF] },
        ...(unavailable ? { unavailable } : {}),
        run: async () => {
          const t = performance.now();
          const harness = buildHarness(dir as string);
          const p = harnessProcess(harness.binary, ctx.set);
          try {
            const r = await diffCore(ctx.set, p, { runs, steps, seed });
            const d = r.failure?.divergence;
            return [
              {
                id: DIFF,
                title: titles[DIFF],
                result: r.failure ? "fail" : "pass",
                detail: d
                  ? `diverges at step ${d.step} (${d.command}) in ${d.field}`
                  : `${r.steps} steps agree over ${r.runs} runs against upstream ${harness.commit}`,
                tool: `warden ${version} diff-core, upstream Jailhouse ${harness.commit}`,
                ms: performance.now() - t,
                metrics: { runs: r.runs, steps: r.steps },
                ...(r.failure
                  ? {
                      counterexample: {
                        text: [
                          `${d?.field}: TypeScript core ${JSON.stringify(d?.core)}, upstream ${JSON.stringify(d?.upstream)}`,
                          ...r.failure.commands.map((c, i) => `  ${i + 1}. ${c}`),
                          `replay: warden diff-core --runs ${runs} --steps ${steps} --seed ${r.seed}`,
                        ].join("\n"),
                      },
                    }
                  : {}),
              },
            ];
          } finally {
            p.close();
          }
        },
      },
      {
        key: "conform:lifecycle",
        params: { runs, steps, seed, mode: "upstream" },
        inputs: { ...inputs, models: toolHash("models"), conformance: toolHash("proofs/refinement") },
        ids: [CONFORM],
        titles: { [CONFORM]: titles[CONFORM] },
        ...(unavailable ? { unavailable } : {}),
        run: async () => {
          const t = performance.now();
          const u = upstreamImplementation(dir as string);
          try {
            const r = await conform(ctx.set, "upstream", u.factory, { runs, steps, seed }, lifecycleBinding);
            return [
              {
                id: CONFORM,
                title: titles[CONFORM],
                result: r.failure ? "fail" : "pass",
                detail: r.failure
                  ? `departs at step ${r.failure.departure.step}: ${r.failure.departure.command}`
                  : `${r.stepsChecked} steps conform over ${r.runs} runs; implementation: ${u.label}`,
                tool: `warden ${version} conform (fast-check) against ${u.label}`,
                ms: performance.now() - t,
                metrics: { runs: r.runs, stepsChecked: r.stepsChecked },
              },
            ];
          } finally {
            u.close();
          }
        },
      },
    ];
  },
};
