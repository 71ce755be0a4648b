/**
 * Evidence that the core's virtio interrupt unit conforms to VirtioMsi in every validation design
 * (`conform:virtio-msi`). The core's own (trapped) unit, reached through CELL_CREATE, is
 * `conform:virtio-msi:<mode>` of conformEvidence; the bugs planted in the unit are part of the
 * shared suite (`mutants:conformance`).
 */
import * as core from "../../hypervisor/index.js";
import { version } from "../packageRoot.js";
import { conformVirtioMsi } from "../refinement/virtioMsiConform.js";
import { moduleHash, sourceHash, toolHash } from "./codeDirs.js";
import type { EvidenceJob, EvidenceProducer } from "./evidenceProducer.js";

const conformId = "conform:virtio-msi";

const inputs = () => ({
  unit: sourceHash("hypervisor/virtio"),
  conformance: sourceHash("proofs/refinement"),
  models: toolHash("models"),
});

export const virtioMsiEvidence: EvidenceProducer = {
  name: "virtio-msi",
  stage: "virtio interrupt unit against VirtioMsi",
  jobs: (ctx): EvidenceJob[] => {
    const { conformRuns: runs, conformSteps: steps, seed } = ctx.options;
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
    ];
  },
};
