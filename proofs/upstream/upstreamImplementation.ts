/**
 * Upstream Jailhouse's C core (through the harness) as conformance's `ImplementationFactory`.
 * One harness process per configuration set; every run re-loads it.
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import type { ImplementationFactory } from "../refinement/implementation.js";
import { type BuildOptions, type BuiltHarness, buildHarness } from "./buildHarness.js";
import { type HarnessProcess, harnessProcess } from "./harnessProcess.js";

/**
 * The models the harness serves, in upstream mode only (strict is Warden's own semantics).
 * ResourceOwnership needs `holders` (pins, ports, devices, IPIs, interrupt routes): not served yet.
 */
export const UPSTREAM_SERVED_MODELS: ReadonlySet<string> = new Set(["lifecycle", "vote"]);

export interface UpstreamImplementation {
  readonly harness: BuiltHarness;
  readonly factory: ImplementationFactory;
  /** "upstream Jailhouse <commit> (C harness)": what conformance evidence names. */
  readonly label: string;
  close(): void;
}

export function upstreamImplementation(upstreamDir: string, options: BuildOptions = {}): UpstreamImplementation {
  const harness = buildHarness(upstreamDir, options);
  const processes = new Map<ConfigSet, HarnessProcess>();
  return {
    harness,
    label: `upstream Jailhouse ${harness.commit} (C harness)`,
    factory: (set, mode) => {
      let p = processes.get(set);
      if (!p) {
        p = harnessProcess(harness.binary, set);
        processes.set(set, p);
      }
      return p.load(mode);
    },
    close: () => {
      for (const p of processes.values()) p.close();
    },
  };
}
