import { describe, expect, it } from "vitest";
import { findModel, type Model } from "../../../models/index.js";
import { explicitHolds, proveModel } from "../../../proofs/induction/index.js";

const build = (params: Record<string, string>): Model => findModel("VirtioMsi")?.build(params) ?? expect.unreachable();

const byName = (proof: Awaited<ReturnType<typeof proveModel>>) =>
  Object.fromEntries(proof.predicates.map((p) => [p.name, p.status === "inductiveWithLemmas" ? p.lemmas : p.status]));

describe("Z3 induction of VirtioMsi's safety properties", () => {
  it("proves them for the trapped design, DeliveredOnlyInOwningCell through the lemma that entries stay in the cell", async () => {
    expect(byName(await proveModel(build({})))).toEqual({
      TypeOK: "inductive",
      DeliveredOnlyInOwningCell: ["EntriesInCell"],
      NoSpuriousDelivery: ["PendingMeansRaised"],
      VectorsInRange: "inductive",
      PendingMeansRaised: "inductive",
      EntriesInCell: "inductive",
    });
  }, 60_000);

  it("proves them for untrapped entries validated at delivery: no lemma about entries is needed", async () => {
    expect(byName(await proveModel(build({ validation: "delivery" })))).toEqual({
      TypeOK: "inductive",
      DeliveredOnlyInOwningCell: "inductive",
      NoSpuriousDelivery: ["PendingMeansRaised"],
      VectorsInRange: "inductive",
      PendingMeansRaised: "inductive",
    });
  }, 60_000);

  it("finds a checker-confirmed CTI when untrapped entries are validated only at unmask", async () => {
    const model = build({ validation: "unmask" });
    const proof = await proveModel(model);
    const p = proof.predicates.find((x) => x.name === "DeliveredOnlyInOwningCell");
    expect(p?.status).toBe("notInductive");
    const cti = p?.ctiWithLemmas ?? p?.ctiAlone ?? expect.unreachable();
    expect(cti.unconfirmed).toBeUndefined();
    expect(cti.action).toMatch(/^Deliver\(/);
    const node = model.invariants.find((i) => i.name === "DeliveredOnlyInOwningCell")?.p ?? expect.unreachable();
    const pred = { name: "DeliveredOnlyInOwningCell", kind: "invariant" as const, p: node };
    expect(explicitHolds(model, cti.from, pred)).toBe(true);
    expect(explicitHolds(model, cti.to, pred)).toBe(false);
  }, 60_000);
});
