/**
 * Evidence that a nested guest reaches only its cell's memory (KVM in a cell, nested EPT):
 * `conform:nested-ept` (the core's nested VMX against NestedEpt), `mutants:nested-ept` (bugs
 * planted in that code, caught by the binding; test/mutants/nestedEptMutants.ts through a tsx
 * child), `bitvector:ept-entry` (the per-entry check proved over 64-bit vectors) and
 * `induction:NestedEpt.NestedIsolation` (NestedIsolation inductive with its lemmas; minutes on
 * the wasm Z3, seconds on a native one, so it runs only with a native z3: WARDEN_Z3 or `z3` on
 * PATH, which the bit-vector proof also prefers). The model checks themselves come from the model
 * producer (NestedEpt's defaults).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as core from "../../hypervisor/index.js";
import { nestedEpt, nestedIsolationLemmas } from "../../models/index.js";
import { proveEptEntry } from "../eptEntry/index.js";
import { ModelEncoding } from "../induction/index.js";
import { inductionQuery } from "../induction/induction.js";
import { packageRoot, version } from "../packageRoot.js";
import { conformNestedEpt, nestedMutantBudget } from "../refinement/nestedEptConform.js";
import { moduleHash, sourceHash, toolHash } from "./codeDirs.js";
import { fileHash } from "./contentHash.js";
import type { ProducedItem } from "./evidenceItem.js";
import type { EvidenceJob, EvidenceProducer } from "./evidenceProducer.js";
import { mutantSuiteUnavailable } from "./mutantEvidence.js";
import type { MutantRun } from "./mutantWorker.js";

const ids = {
  conform: "conform:nested-ept",
  mutants: "mutants:nested-ept",
  bitvector: "bitvector:ept-entry",
  induction: "induction:NestedEpt.NestedIsolation",
} as const;
const mutantsFile = join(packageRoot, "test", "mutants", "nestedEptMutants.ts");
const worker = join(packageRoot, "proofs", "dossier", "nestedEptMutantWorker.ts");
/** The conformance budget of the dossier's run (the mutants use nestedMutantBudget). */
export const nestedConformBudget = { runs: 20, steps: 30 } as const;

const inputs = () => ({
  core: sourceHash("hypervisor/arch/x86"),
  conformance: sourceHash("proofs/refinement"),
  models: toolHash("models"),
});

/** A native z3: WARDEN_Z3, else `z3` on PATH. */
function nativeZ3(): string | undefined {
  if (process.env.WARDEN_Z3) return process.env.WARDEN_Z3;
  return spawnSync("z3", ["-version"], { encoding: "utf8" }).status === 0 ? "z3" : undefined;
}

interface Settled {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The mutant worker, started now and settled later: it runs beside the in-process jobs (on another core). */
function startMutants(): Promise<Settled> {
  const workDir = join(packageRoot, `.warden-tmp-nested-mutants-${process.pid}`);
  const child = spawn(process.execPath, ["--import", "tsx", worker, pathToFileURL(mutantsFile).href, workDir], {
    cwd: packageRoot,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += String(d);
  });
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  return new Promise((done) => {
    child.on("error", (e) => done({ status: -1, stdout, stderr: `${stderr}${e.message}` }));
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

function mutantItem(ms: number, child: Settled): ProducedItem {
  const tool = `warden ${version} NestedEpt conformance on mutated copies of hypervisor/`;
  const title = "conformance to NestedEpt catches every bug planted in the nested-VMX code";
  if (child.status !== 0) {
    const tail = String(child.stderr ?? "")
      .trim()
      .split("\n")
      .slice(-20)
      .join("\n");
    return {
      id: ids.mutants,
      title,
      result: "fail",
      detail: `the mutant run failed (exit ${child.status})`,
      tool,
      ms,
      counterexample: { text: `${tail}\n` },
    };
  }
  const run = JSON.parse(String(child.stdout).trim().split("\n").pop() ?? "{}") as MutantRun;
  const caught = run.mutants.filter((m) => m.caughtBy).length;
  const lines = [
    ...run.baseline.map((b) => `the unmutated copy departs: ${b}`),
    ...run.mutants.filter((m) => !m.caughtBy).map((m) => `${m.name} survived: ${m.bug}`),
  ];
  const fails = lines.length > run.baseline.length || run.mutants.length === 0;
  return {
    id: ids.mutants,
    title,
    result: run.baseline.length ? "inconclusive" : fails ? "fail" : "pass",
    detail: `${caught} of ${run.mutants.length} planted bugs caught`,
    tool,
    ms,
    metrics: { caught, total: run.mutants.length },
    ...(lines.length ? { counterexample: { text: `${lines.join("\n")}\n` } } : {}),
  };
}

export function conformItem(seed: number): ProducedItem {
  const t = performance.now();
  const r = conformNestedEpt(core, { ...nestedConformBudget, seed });
  const d = r.departure;
  return {
    id: ids.conform,
    title:
      "the core's nested VMX conforms to NestedEpt (KVM writes, EPT loads, VM entries and exits, INVEPT, cell create/destroy)",
    result: d ? "fail" : "pass",
    detail: d
      ? `departs in run ${d.run} at step ${d.step}: ${d.op}: ${d.reason}`
      : `${r.steps} steps in ${nestedConformBudget.runs} runs × ${nestedConformBudget.steps} steps; actions covered: ${r.covered.join(", ")}`,
    tool: `warden ${version} NestedEpt conformance`,
    ms: performance.now() - t,
    metrics: { steps: r.steps, covered: r.covered.length },
  };
}

async function bitvectorItem(): Promise<ProducedItem> {
  const t = performance.now();
  const z3 = nativeZ3();
  const results = await proveEptEntry(z3 ? { native: z3 } : {});
  const open = results.filter((r) => r.verdict !== "unsat");
  return {
    id: ids.bitvector,
    title:
      "every EPT entry the per-entry check accepts maps only inside the cell's memory with at most its rights (64-bit vectors, every level)",
    result: open.length === 0 && results.length > 0 ? "pass" : "fail",
    detail: open.length
      ? `counterexample to ${open.map((r) => r.name).join(", ")}`
      : `${results.length} QF_BV obligations unsat (Z3)`,
    tool: `warden ${version} bit-vector proof (${z3 ? "native z3" : "z3-solver"})`,
    ms: performance.now() - t,
    metrics: { obligations: results.length },
    ...(open[0] ? { counterexample: { text: `${open[0].output}\n` } } : {}),
  };
}

/**
 * Conformance, the planted mutants and the bit-vector proof as one job: the mutant worker (the
 * longest part) runs in a child process while the other two run here, so the dossier waits for
 * the longest of them rather than their sum.
 */
function nestedJob(seed: number): EvidenceJob {
  const why = mutantSuiteUnavailable(mutantsFile, worker);
  return {
    key: "nested",
    params: {
      ...nestedConformBudget,
      seed,
      mutantRuns: nestedMutantBudget.runs,
      mutantSteps: nestedMutantBudget.steps,
    },
    inputs: {
      producer: moduleHash(import.meta.url),
      ...inputs(),
      mutants: existsSync(mutantsFile) ? fileHash(mutantsFile) : "absent",
      proof: toolHash("proofs/eptEntry"),
    },
    ids: [ids.conform, ids.mutants, ids.bitvector],
    run: async () => {
      const t = performance.now();
      const mutants = why ? undefined : startMutants();
      const conform = conformItem(seed);
      const bitvector = await bitvectorItem();
      const mutant: ProducedItem = mutants
        ? mutantItem(performance.now() - t, await mutants)
        : {
            id: ids.mutants,
            title: "conformance to NestedEpt catches every bug planted in the nested-VMX code",
            result: "not run",
            detail: `not run: ${why}`,
            tool: `warden ${version}`,
            ms: 0,
          };
      return [conform, mutant, bitvector];
    },
  };
}

/** Off with WARDEN_NESTED_INDUCTION=0 (the test suite's dossiers: test/proofs/induction/nestedEptInduction.test.ts proves it). */
const off = () => process.env.WARDEN_NESTED_INDUCTION === "0";

function inductionJob(): EvidenceJob {
  const z3 = nativeZ3();
  const title = "NestedEpt NestedIsolation inductive with its lemmas (default parameters)";
  return {
    key: "induction",
    params: { cpus: 1, large: 2, shrink: "true", writes: 1 },
    inputs: { producer: moduleHash(import.meta.url), models: toolHash("models"), prover: toolHash("proofs/induction") },
    ids: [ids.induction],
    titles: { [ids.induction]: title },
    ...(off()
      ? { unavailable: "WARDEN_NESTED_INDUCTION=0" }
      : z3
        ? {}
        : { unavailable: "needs a native z3 (WARDEN_Z3 or z3 on PATH): the wasm Z3 takes minutes" }),
    run: async () => {
      const t = performance.now();
      const enc = new ModelEncoding(nestedEpt({ cpus: 1, largePages: 2, shrink: true, writes: 1 }));
      const pred = (name: string) => enc.predicates.find((p) => p.name === name);
      const saved = process.env.WARDEN_Z3;
      // The induction queries pick their solver from WARDEN_Z3; set only while this job runs.
      process.env.WARDEN_Z3 = z3;
      const verdicts: string[] = [];
      try {
        for (const goal of nestedIsolationLemmas) {
          const g = pred(goal);
          const others = nestedIsolationLemmas.filter((n) => n !== goal).flatMap((n) => pred(n) ?? []);
          verdicts.push(g ? `${goal}: ${(await inductionQuery(enc, g, others)).verdict}` : `${goal}: not encoded`);
        }
      } finally {
        if (saved === undefined) delete process.env.WARDEN_Z3;
        else process.env.WARDEN_Z3 = saved;
      }
      const failed = verdicts.filter((v) => !v.endsWith(": inductive"));
      return [
        {
          id: ids.induction,
          title,
          result: failed.length ? "fail" : "pass",
          detail: failed.length
            ? `not closed: ${failed.join("; ")}`
            : `each of ${nestedIsolationLemmas.join(", ")} inductive relative to TypeOK and the others (Z3: unsat; initial states by the model check)`,
          tool: `warden ${version} induction (native z3)`,
          ms: performance.now() - t,
          metrics: { queries: nestedIsolationLemmas.length, lemmas: nestedIsolationLemmas.length - 1 },
        },
      ];
    },
  };
}

export const nestedEptEvidence: EvidenceProducer = {
  name: "nested-ept",
  stage: "nested EPT (KVM in a cell)",
  jobs: (ctx): EvidenceJob[] => [nestedJob(ctx.options.seed), inductionJob()],
};
