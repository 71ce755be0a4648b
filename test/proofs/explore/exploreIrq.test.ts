import { describe, expect, it } from "vitest";
import { irqMatrixMarkdown, irqMatrixText } from "../../../generators/index.js";
import { exploreIrq, irqDesignCatalogue, irqProperties, irqScenarios, runIrqScenario } from "../../../proofs/index.js";

describe("warden explore irq", () => {
  const { cells, runs } = exploreIrq(irqDesignCatalogue.map((d) => d.name));
  const verdict = (design: string, property: string) =>
    cells.find((c) => c.design === design && c.property === property);
  const run = (scenario: string, design: string) =>
    runs.find((r) => r.scenario === scenario && r.design === design) ?? expect.unreachable();

  it("keeps every property in the legacy, trapped and delivery designs; unmask-only validation lets an interrupt leave the cell", () => {
    for (const design of ["legacy", "trapped", "delivery"])
      for (const p of irqProperties) expect(verdict(design, p.name)?.verdict, `${design} ${p.name}`).toBe("holds");
    const leak = verdict("unmask", "DeliveredOnlyInOwningCell");
    expect(leak?.verdict).toBe("violated");
    expect(leak?.trace?.steps.at(-1)?.action).toMatch(/^Deliver\(/);
    expect(verdict("unmask", "NoLostInterrupt")?.verdict).toBe("holds");
  });

  it("measures the legacy line at two trapped accesses per interrupt and MSI below it once vectors are programmed", () => {
    const legacy = run("steady", "legacy");
    expect(legacy.traps).toBe(2 * legacy.deliveries);
    expect(legacy.guestAccesses).toBe(2 * legacy.deliveries);
    for (const d of ["trapped", "delivery", "unmask"]) {
      expect(run("steady", d).deliveries).toBe(legacy.deliveries);
      expect(run("steady", d).traps).toBeLessThan(legacy.traps);
    }
    // Untrapped address/data: only VECTOR_SEL and MASK trap, so fewer traps for the same accesses.
    expect(run("steady", "delivery").traps).toBeLessThan(run("steady", "trapped").traps);
    expect(run("steady", "delivery").guestAccesses).toBe(run("steady", "trapped").guestAccesses);
  });

  it("on the hostile retarget, the core sends one interrupt out of the cell only in the unmask design", () => {
    expect(run("hostile-retarget", "unmask").escaped).toBe(1);
    expect(run("hostile-retarget", "delivery")).toMatchObject({ escaped: 0, refused: 1 });
    expect(run("hostile-retarget", "trapped")).toMatchObject({ escaped: 0, refused: 1 });
    for (const r of runs) expect(r.lost, `${r.scenario} ${r.design}`).toBe(0);
  });

  it("delivers a masked burst once after the unmask (events coalesce in the pending bit)", () => {
    const burst = irqScenarios.find((s) => s.name === "masked-burst") ?? expect.unreachable();
    const r = runIrqScenario(burst, "trapped");
    expect(r.events).toBe(7);
    expect(r.deliveries).toBe(4);
  });

  it("renders the matrix and the cost table as text and Markdown", () => {
    const matrix = {
      system: "test",
      designs: irqDesignCatalogue,
      properties: irqProperties,
      scenarios: irqScenarios,
      cells,
      runs,
    };
    expect(irqMatrixText(matrix)).toMatch(/\nunmask +holds +holds +✗ 5 +holds/);
    const md = irqMatrixMarkdown(matrix);
    expect(md).toContain("| steady | legacy | 12 | 12 | 24 | 24 | 2.00 | 2.00 | 0 | 0 | 0 |");
    expect(md).toContain("### unmask: DeliveredOnlyInOwningCell (5 states)");
  });
});
