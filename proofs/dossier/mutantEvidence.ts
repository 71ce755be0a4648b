/**
 * Evidence of the conformance suite's strength: the share of planted bugs (test/mutants/mutants.ts)
 * that conformance catches. Runs mutantWorker.ts as a tsx child process; needs a checkout with
 * the mutant suite and tsx, otherwise the item is "not run".
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot, version } from "../packageRoot.js";
import { coreHash, moduleHash, sourceHash, toolHash } from "./codeDirs.js";
import { fileHash } from "./contentHash.js";
import type { EvidenceProducer } from "./evidenceProducer.js";
import { mutantBindings, mutantBudget, UNIT_CATCHER } from "./mutantSuite.js";
import type { MutantRun } from "./mutantWorker.js";

const id = "mutants:conformance";
const title = "conformance catches every planted bug in the hypervisor core";
const suiteFile = join(packageRoot, "test", "mutants", "mutants.ts");
const worker = join(packageRoot, "proofs", "dossier", "mutantWorker.ts");
/** The virtio unit's mutants, part of the suite through mutants.ts. */
const virtioFile = join(packageRoot, "test", "mutants", "virtioMsiMutants.ts");

/** Why a mutant suite cannot run here (its definitions or worker absent, or no tsx), or undefined. */
export function mutantSuiteUnavailable(mutantsFile: string, worker: string): string | undefined {
  if (!existsSync(mutantsFile) || !existsSync(worker)) return "no mutant suite in this installation (test/mutants)";
  try {
    createRequire(join(packageRoot, "package.json")).resolve("tsx/package.json");
  } catch {
    return "tsx is not installed (needed to load the mutated TypeScript core)";
  }
  return undefined;
}

/** The producer for a mutant definition file (a module exporting `mutants`); the dossier uses the test suite's. */
export const mutantEvidenceFor = (mutantsFile: string): EvidenceProducer => ({
  name: "mutants",
  stage: "planted-mutant detection",
  jobs: () => {
    const why = mutantSuiteUnavailable(mutantsFile, worker);
    return [
      {
        key: "conformance",
        params: { ...mutantBudget, mode: "upstream", set: "x86 probe set" },
        inputs: {
          producer: moduleHash(import.meta.url),
          core: coreHash(),
          mutants: fileHash(mutantsFile),
          suite: fileHash(join(packageRoot, "proofs", "dossier", "mutantSuite.ts")),
          conformance: toolHash("proofs/refinement"),
          abstraction: sourceHash("proofs/refinement"),
          virtioMutants: existsSync(virtioFile) ? fileHash(virtioFile) : "absent",
          instantiation: sourceHash("proofs/instantiate"),
          models: toolHash("models"),
        },
        ids: [id],
        titles: { [id]: title },
        ...(why ? { unavailable: why } : {}),
        run: async () => {
          const t = performance.now();
          const workDir = join(packageRoot, `.warden-tmp-mutants-${process.pid}`);
          const child = spawnSync(
            process.execPath,
            ["--import", "tsx", worker, pathToFileURL(mutantsFile).href, workDir],
            {
              cwd: packageRoot,
              encoding: "utf8",
              env: { ...process.env, NODE_OPTIONS: "" },
              maxBuffer: 64 * 2 ** 20,
            },
          );
          const ms = performance.now() - t;
          const tool = `warden ${version} conform (fast-check) on mutated copies of hypervisor/`;
          if (child.status !== 0) {
            const text = `${child.stderr ?? ""}${child.error?.message ?? ""}`.trim().split("\n").slice(-20).join("\n");
            return [
              {
                id,
                title,
                result: "fail",
                detail: `the mutant run failed (exit ${child.status})`,
                tool,
                ms,
                counterexample: { text: `${text}\n` },
              },
            ];
          }
          const run = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as MutantRun;
          const caught = run.mutants.filter((m) => m.caughtBy);
          const total = run.mutants.length;
          const survivors = run.mutants.filter((m) => !m.caughtBy);
          // A departing unmutated copy compromises the measurement (inconclusive); a survivor is an escaped bug.
          const result =
            run.baseline.length > 0 ? "inconclusive" : survivors.length > 0 || total === 0 ? "fail" : "pass";
          const rate = total ? Math.round((1000 * caught.length) / total) / 10 : 0;
          const byModel = (name: string) => caught.filter((m) => m.caughtBy === name).length;
          const by = [...mutantBindings.map((b) => b.name), UNIT_CATCHER]
            .map((b) => `${byModel(b)} by ${b}`)
            .join(", ");
          const lines = [
            ...run.baseline.map((b) => `the unmutated copy already departs (binding not used): ${b}`),
            ...survivors.map((m) => `${m.name} survived: ${m.bug}${m.error ? ` (${m.error})` : ""}`),
          ];
          return [
            {
              id,
              title,
              result,
              detail: `${caught.length} of ${total} planted bugs caught (${rate} %): ${by}${run.baseline.length ? "; the unmutated copy departs on the probe set, so the rate is inconclusive" : ""}`,
              tool,
              ms,
              metrics: { caught: caught.length, total, rate },
              ...(lines.length ? { counterexample: { text: `${lines.join("\n")}\n` } } : {}),
            },
          ];
        },
      },
    ];
  },
});

export const mutantEvidence = mutantEvidenceFor(suiteFile);
