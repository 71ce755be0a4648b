import { describe, expect, it } from "vitest";
import { emitTla } from "../../../generators/index.js";
import { cellLifecycle } from "../../../models/index.js";
import { checkModel, resolveModels } from "../../../proofs/index.js";

const alike = { cells: "a,b,c", passive: "", timeout: "a,b,c" };
const emit = (params: Record<string, string>) => {
  const [r] = resolveModels(["CellLifecycle"], params);
  if (!r) throw new Error("no CellLifecycle");
  return { model: r.model, files: emitTla(r.model, { command: "t", version: "t", inputHash: "t" }).files };
};

describe("CellLifecycle with interchangeable cells (symmetry=true)", () => {
  it("declares Cells a symmetry set, bound to model values, with NoFreeze checked as an invariant", () => {
    const { model, files } = emit({ ...alike, symmetry: "true" });
    expect(model.symmetry).toBe("Cells");
    expect(model.properties).toEqual([]);
    expect(model.invariants.map((i) => i.name)).toContain("NoFreeze");
    const cfg = files["MCCellLifecycle.cfg"] ?? "";
    expect(cfg).toMatch(/^ {2}Cells = \{a, b, c\}$/m);
    expect(cfg).toMatch(/^SYMMETRY MC_Symmetry$/m);
    expect(cfg).toMatch(/^INVARIANTS\n(?: {2}\w+\n)* {2}NoFreeze$/m);
    // WithTimeout holds all cells: written as Cells, since "a" (a string) would not be the model value a.
    expect(files["MCCellLifecycle.tla"]).toMatch(/^MC_WithTimeout == Cells$/m);
    expect(files["MCCellLifecycle.tla"]).toMatch(/^MC_Passive == \{\}$/m);
    expect(emit(alike).files["MCCellLifecycle.cfg"]).not.toMatch(/SYMMETRY/);
  });

  it("counts fewer states with symmetry, with the same verdict and depth", () => {
    const two = { cells: "a,b", passive: "", timeout: "a,b" };
    const plain = checkModel(emit(two).model);
    const reduced = checkModel(emit({ ...two, symmetry: "true" }).model);
    expect(plain.kind).toBe("holds");
    expect(reduced.kind).toBe("holds");
    expect(reduced.stats.depth).toBe(plain.stats.depth);
    // Each orbit has one or two members (swapping a and b), so the reduced count is between half and all of it.
    expect(reduced.stats.distinctStates).toBeLessThan(plain.stats.distinctStates);
    expect(reduced.stats.distinctStates * 2).toBeGreaterThanOrEqual(plain.stats.distinctStates);
  });

  it("refuses cells that differ in a setting, or names that cannot be TLA+ model values", () => {
    expect(() => resolveModels(["CellLifecycle"], { ...alike, passive: "a", symmetry: "true" })).toThrow(
      /identical settings, but only a have one of them/,
    );
    expect(() => resolveModels(["CellLifecycle"], { ...alike, timeout: "b", symmetry: "true" })).toThrow(/only b/);
    expect(() =>
      resolveModels(["CellLifecycle"], { cells: "rt-1,rt-2", passive: "", timeout: "", symmetry: "true" }),
    ).toThrow(/"rt-1" must be an identifier/);
  });

  it("will not emit a constant that names some members of the symmetry set", () => {
    const model = cellLifecycle({ cells: ["a", "b"], passive: ["a"], withTimeout: [], symmetry: true });
    expect(() => emitTla(model, { command: "t", version: "t", inputHash: "t" })).toThrow(/symmetry set Cells/);
  });
});
