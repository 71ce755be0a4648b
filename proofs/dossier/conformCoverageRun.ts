/**
 * The conformance runs whose coverage of hypervisor/ `conformCoverageEvidence` measures, run as a
 * child process under c8: `node --import tsx conformCoverageRun.ts '{"files":[…],"runs":N,"steps":K,"seed":S}'`.
 */
import { loadConfigSet } from "../pipeline/loadConfig.js";
import { bindings } from "../refinement/bindings.js";
import { conform } from "../refinement/conform.js";
import { builtinImplementation } from "../refinement/coreImplementation.js";

const args = JSON.parse(process.argv[2] ?? "{}") as { files: string[]; runs: number; steps: number; seed: number };
const set = loadConfigSet(args.files);
let departures = 0;
for (const binding of Object.values(bindings)) {
  for (const mode of binding.modes ?? (["upstream", "strict"] as const)) {
    const r = await conform(
      set,
      mode,
      builtinImplementation,
      { runs: args.runs, steps: args.steps, seed: args.seed },
      binding,
    );
    if (r.failure) departures++;
  }
}
process.exitCode = departures > 0 ? 1 : 0;
