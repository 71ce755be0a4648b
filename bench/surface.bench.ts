/**
 * `warden audit surface`'s cost, and what it adds to a dossier: loading ts-morph, building the
 * TypeScript core's call graph (cold, then from the in-process cache), the surface walk of the
 * x86 example, the dossier's `surface:cells` job against the `budget` job measured in the same
 * run, and with WARDEN_UPSTREAM_SRC the C graph and surface of upstream's qemu-x86 demo cells.
 */
import { join } from "node:path";
import { cSurface } from "../proofs/audit/surface/cSurface.js";
import { tsCallGraph, tsSurface } from "../proofs/audit/surface/index.js";
import { typescriptApi } from "../proofs/audit/typescriptApi.js";
import { initCParser } from "../proofs/csource/cParser.js";
import { budgetEvidence } from "../proofs/dossier/budgetEvidence.js";
import { producerContext } from "../proofs/dossier/collectEvidence.js";
import { surfaceEvidence } from "../proofs/dossier/surfaceEvidence.js";
import { loadConfigSet, loadExampleSet, packageRoot, setJailhouseSrc } from "../proofs/index.js";
import { printTable } from "./table.js";

const time = async (f: () => unknown) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

export default async function bench(): Promise<void> {
  const set = loadExampleSet("x86");
  const core = join(packageRoot, "hypervisor");
  const ctx = producerContext(set, { conformRuns: 1, conformSteps: 1, seed: 1 });
  const rows: [string, number][] = [
    ["budget job (dossier peer, cold)", await time(async () => budgetEvidence.jobs(ctx)[0]?.run())],
    ["load ts-morph", await time(() => typescriptApi())],
    ["TS call graph, cold", await time(() => tsCallGraph(core, "x86"))],
    ["TS call graph, cached (source hash)", await time(() => tsCallGraph(core, "x86"))],
    ["surface of the x86 example (3 cells)", await time(() => tsSurface(set))],
    ["surface:cells job (graph cached)", await time(async () => surfaceEvidence.jobs(ctx)[0]?.run())],
  ];
  const tree = process.env.WARDEN_UPSTREAM_SRC;
  if (tree) {
    await initCParser();
    setJailhouseSrc(tree);
    const configs = join(tree, "configs", "x86");
    const demos = ["apic-demo", "tiny-demo", "ioapic-demo", "pci-demo", "ivshmem-demo", "linux-x86-demo", "smp-demo"];
    const upstream = loadConfigSet([join(configs, "qemu-x86.c"), ...demos.map((d) => join(configs, `${d}.c`))]);
    rows.push(["upstream C graph + surface, cold (8 cells)", await time(() => cSurface(upstream, tree))]);
    rows.push(["upstream C surface, graph cached", await time(() => cSurface(upstream, tree))]);
  }
  printTable(
    "warden audit surface",
    ["step", "ms"],
    rows.map(([s, ms]) => [s, Math.round(ms)]),
  );
}
