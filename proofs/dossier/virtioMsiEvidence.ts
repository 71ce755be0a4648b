/**
 * Evidence that the core's virtio interrupt unit conforms to VirtioMsi (`conform:virtio-msi`) and
 * that this conformance catches the bugs planted in the unit (`mutants:virtio-msi`, from
 * test/mutants/virtioMsiMutants.ts through a tsx child process).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as core from "../../hypervisor/index.js";
import { packageRoot, version } from "../packageRoot.js";
import { conformVirtioMsi, virtioMutantBudget } from "../refinement/virtioMsiConform.js";
import { moduleHash, sourceHash, toolHash } from "./codeDirs.js";
import { fileHash } from "./contentHash.js";
import type { ProducedItem } from "./evidenceItem.js";
import type { EvidenceJob, EvidenceProducer } from "./evidenceProducer.js";
import type { MutantRun } from "./mutantWorker.js";

const conformId = "conform:virtio-msi";
const mutantsId = "mutants:virtio-msi";
const mutantsFile = join(packageRoot, "test", "mutants", "virtioMsiMutants.ts");
const worker = join(packageRoot, "proofs", "dossier", "virtioMsiMutantWorker.ts");

function mutantsUnavailable(): string | undefined {
  if (!existsSync(mutantsFile) || !existsSync(worker)) return "no mutant suite in this installation (test/mutants)";
  try {
    createRequire(join(packageRoot, "package.json")).resolve("tsx/package.json");
  } catch {
    return "tsx is not installed (needed to load the mutated TypeScript unit)";
  }
  return undefined;
}

const inputs = () => ({
  unit: sourceHash("hypervisor/virtio"),
  conformance: sourceHash("proofs/refinement"),
  models: toolHash("models"),
});

function mutantItem(ms: number, child: ReturnType<typeof spawnSync>): ProducedItem {
  const tool = `warden ${version} virtio-msi conformance on mutated copies of hypervisor/virtio`;
  const title = "conformance to VirtioMsi catches every bug planted in the virtio interrupt unit";
  if (child.status !== 0)
    return {
      id: mutantsId,
      title,
      result: "fail",
      detail: `the mutant run failed (exit ${child.status})`,
      tool,
      ms,
      counterexample: {
        text: `${String(child.stderr ?? "")
          .trim()
          .split("\n")
          .slice(-20)
          .join("\n")}\n`,
      },
    };
  const run = JSON.parse(String(child.stdout).trim().split("\n").pop() ?? "{}") as MutantRun;
  const caught = run.mutants.filter((m) => m.caughtBy).length;
  const survivors = run.mutants.filter((m) => !m.caughtBy);
  const lines = [
    ...run.baseline.map((b) => `the unmutated copy departs: ${b}`),
    ...survivors.map((m) => `${m.name} survived: ${m.bug}`),
  ];
  return {
    id: mutantsId,
    title,
    result: run.baseline.length ? "inconclusive" : survivors.length || run.mutants.length === 0 ? "fail" : "pass",
    detail: `${caught} of ${run.mutants.length} planted bugs caught`,
    tool,
    ms,
    metrics: { caught, total: run.mutants.length },
    ...(lines.length ? { counterexample: { text: `${lines.join("\n")}\n` } } : {}),
  };
}

export const virtioMsiEvidence: EvidenceProducer = {
  name: "virtio-msi",
  stage: "virtio interrupt unit against VirtioMsi",
  jobs: (ctx): EvidenceJob[] => {
    const { conformRuns: runs, conformSteps: steps, seed } = ctx.options;
    const why = mutantsUnavailable();
    return [
      {
        key: "conform",
        params: { runs, steps, seed },
        inputs: { producer: moduleHash(import.meta.url), ...inputs() },
        ids: [conformId],
        run: async () => {
          const t = performance.now();
          const r = conformVirtioMsi(core, { runs, steps, seed });
          const d = r.departure;
          return [
            {
              id: conformId,
              title: "the virtio interrupt unit conforms to VirtioMsi (trapped, delivery, unmask; x86 and arm64)",
              result: d ? "fail" : "pass",
              detail: d
                ? `departs (${d.design}, ${d.arch}) at step ${d.step}: ${d.op}: ${d.reason}`
                : `${r.steps} steps in ${runs} runs per design; actions covered: ${r.covered.join(", ")}`,
              tool: `warden ${version} virtio-msi conformance`,
              ms: performance.now() - t,
              metrics: { steps: r.steps, covered: r.covered.length },
            },
          ];
        },
      },
      {
        key: "mutants",
        params: { ...virtioMutantBudget },
        inputs: {
          producer: moduleHash(import.meta.url),
          ...inputs(),
          mutants: existsSync(mutantsFile) ? fileHash(mutantsFile) : "absent",
        },
        ids: [mutantsId],
        titles: { [mutantsId]: "conformance to VirtioMsi catches every bug planted in the virtio interrupt unit" },
        ...(why ? { unavailable: why } : {}),
        run: async () => {
          const t = performance.now();
          const workDir = join(packageRoot, `.warden-tmp-msi-mutants-${process.pid}`);
          const child = spawnSync(
            process.execPath,
            ["--import", "tsx", worker, pathToFileURL(mutantsFile).href, workDir],
            { cwd: packageRoot, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, maxBuffer: 64 * 2 ** 20 },
          );
          return [mutantItem(performance.now() - t, child)];
        },
      },
    ];
  },
};
