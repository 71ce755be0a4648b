/**
 * Conformance throughput: checked steps per second of `warden conform` against each model
 * (CellLifecycle, ResourceOwnership, ManagementVote poll by poll), for the built-in core in process and for the same core behind the JSON-lines protocol
 * (`warden core-server`), in the same run; plus raw hypercall throughput of the core.
 */
import { fileURLToPath } from "node:url";
import { archFor, Hypervisor, hypercallCodes } from "../hypervisor/index.js";
import {
  bindings,
  builtinImplementation,
  conform,
  examplePath,
  loadExampleSet,
  processImplementation,
} from "../proofs/index.js";
import { printTable } from "./table.js";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

export default async function bench(): Promise<void> {
  const rows: string[][] = [];
  for (const example of ["arm64", "x86"] as const) {
    const set = loadExampleSet(example);
    const options = { runs: 40, steps: 30, seed: 11 };
    for (const binding of Object.values(bindings)) {
      let t = performance.now();
      const inProcess = await conform(set, "upstream", builtinImplementation, options, binding);
      const a = inProcess.stepsChecked / ((performance.now() - t) / 1000);
      const served = processImplementation(`"${process.execPath}" "${cli}" core-server`, [examplePath(example)]);
      t = performance.now();
      const overProtocol = await conform(set, "upstream", served.factory, options, binding);
      const b = overProtocol.stepsChecked / ((performance.now() - t) / 1000);
      served.close();
      rows.push([
        `${example} example, ${binding.modelName}, 40 runs`,
        `${a.toFixed(0)} steps/s`,
        `${b.toFixed(0)} steps/s over JSON lines (${(a / b).toFixed(1)}× slower)`,
      ]);
    }
  }
  const system = loadExampleSet("arm64").system.config;
  const hv = Hypervisor.enable(system, archFor(system.arch));
  const n = 200_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) hv.hypercall(0, hypercallCodes.CELL_GET_STATE, 0n);
  const calls = n / ((performance.now() - t) / 1000);
  rows.push(["CELL_GET_STATE on the core", `${(calls / 1e6).toFixed(2)} M hypercalls/s`, "—"]);
  printTable("Conformance and core throughput", ["workload", "Warden in process", "peer"], rows);
}
