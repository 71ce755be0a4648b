import { describe, expect, it } from "vitest";
import { nestedEptDiagram } from "../../../proofs/check/nestedEptDiagram.js";
import { plannedEvidenceIds, producerContext } from "../../../proofs/dossier/collectEvidence.js";
import { conformItem, nestedEptEvidence } from "../../../proofs/dossier/nestedEptEvidence.js";
import { loadRequirements } from "../../../proofs/dossier/requirements.js";
import { loadExampleSet } from "../../../proofs/index.js";

describe("the dossier's nested-EPT requirement", () => {
  const ctx = producerContext(loadExampleSet("x86"), { conformRuns: 6, conformSteps: 20, seed: 1 });

  it("is traced to the model check, the induction, the bit-vector proof, conformance and the mutants, all planned", () => {
    const req = loadRequirements().find((r) => r.id === "REQ-NESTED-EPT") ?? expect.unreachable();
    expect(req.statement).toBe("A nested guest reaches only its cell's memory.");
    const links = [...req.links, ...req.supporting];
    for (const id of [
      "model:NestedEpt.NestedIsolation",
      "induction:NestedEpt.NestedIsolation",
      "bitvector:ept-entry",
      "conform:nested-ept",
      "mutants:nested-ept",
    ])
      expect(links, id).toContain(id);
    // The induction needs minutes on the wasm Z3: it corroborates, it does not gate.
    expect(req.supporting).toContain("induction:NestedEpt.NestedIsolation");
    const planned = plannedEvidenceIds(ctx);
    expect(links.filter((l) => !planned.has(l))).toEqual([]);
  });

  it("passes conformance of the core's nested VMX, covering every action of NestedEpt", () => {
    const job = nestedEptEvidence.jobs(ctx).find((j) => j.key === "nested") ?? expect.unreachable();
    expect(job.ids).toEqual(["conform:nested-ept", "mutants:nested-ept", "bitvector:ept-entry"]);
    const item = conformItem(1);
    expect(item).toMatchObject({ id: "conform:nested-ept", result: "pass" });
    expect(item?.metrics?.covered).toBe(11);
  }, 60_000);

  it("draws the validation protocol: walk, trapped write, declaration before the write, kick, resume", () => {
    const text = nestedEptDiagram();
    const order = [
      /VMLAUNCH on c\d with EPT \d/,
      /full walk: EPT \d valid/,
      /\(trapped: page write-protected\)/,
      /declared invalid BEFORE the write executes/,
      /kick \(forced VM exit\)/,
      /no CPU runs on an invalid EPT: execute the write/,
    ];
    expect(text.startsWith("sequenceDiagram\n")).toBe(true);
    const at = order.map((re) => text.search(re));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  }, 60_000);
});
