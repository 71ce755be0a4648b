import { describe, expect, it } from "vitest";
import { plannedEvidenceIds, producerContext } from "../../../proofs/dossier/collectEvidence.js";
import { loadRequirements } from "../../../proofs/dossier/requirements.js";
import { virtioMsiEvidence } from "../../../proofs/dossier/virtioMsiEvidence.js";
import { loadExampleSet } from "../../../proofs/index.js";

describe("the dossier's virtio interrupt requirement", () => {
  const ctx = producerContext(loadExampleSet("x86"), { conformRuns: 6, conformSteps: 20, seed: 1 });

  it("is traced to the model, Z3 induction, conformance (the unit in every design, the core through CELL_CREATE) and the shared planted-mutant suite, all of them planned evidence", () => {
    const req = loadRequirements().find((r) => r.id === "REQ-IRQ-CELL") ?? expect.unreachable();
    const links = [...req.links, ...(req.supporting ?? [])];
    for (const prefix of [
      "model:VirtioMsi.",
      "induction:VirtioMsi.",
      "conform:virtio-msi",
      "conform:virtio-msi:upstream",
      "mutants:conformance",
      "tlc:VirtioMsi",
    ])
      expect(
        links.some((l) => l.startsWith(prefix)),
        prefix,
      ).toBe(true);
    const planned = plannedEvidenceIds(ctx);
    expect(links.filter((l) => !planned.has(l))).toEqual([]);
  });

  it("passes conformance of the core's unit, covering every action", async () => {
    const job = virtioMsiEvidence.jobs(ctx).find((j) => j.key === "conform") ?? expect.unreachable();
    const [item] = await job.run();
    expect(item).toMatchObject({ id: "conform:virtio-msi", result: "pass" });
    expect(item?.metrics?.covered).toBe(6);
  });
});
