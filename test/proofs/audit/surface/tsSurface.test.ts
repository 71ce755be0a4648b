import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellFlags } from "../../../../hypervisor/config/flags.js";
import { type CellConfig, type ConfigSet, entryPointsFor } from "../../../../hypervisor/index.js";
import { loadBudget } from "../../../../proofs/audit/checkBudget.js";
import { checkSurfaceBudget } from "../../../../proofs/audit/surface/surfaceBudget.js";
import { surfaceDiff } from "../../../../proofs/audit/surface/surfaceDiff.js";
import { tsSurface } from "../../../../proofs/audit/surface/tsSurface.js";
import { packageRoot } from "../../../../proofs/packageRoot.js";
import { loadExampleSet } from "../../../../proofs/pipeline/loadConfig.js";

// A fresh disk cache: the core's graph is built by this file, not read from an earlier run.
process.env.WARDEN_CACHE_DIR = mkdtempSync(join(tmpdir(), "warden-graph-cache-"));
const x86 = loadExampleSet("x86");
const arm = loadExampleSet("arm64");

/** The set with cell `name` changed by `f`. */
function plant(set: ConfigSet, name: string, f: (c: CellConfig) => CellConfig): ConfigSet {
  return { ...set, cells: set.cells.map((c) => (c.config.name === name ? { ...c, config: f(c.config) } : c)) };
}
const ioapic = (c: CellConfig): CellConfig => ({
  ...c,
  irqchips: [{ address: 0xfec00000n, id: 0xff00, pin_base: 0, pin_bitmap: [0x10, 0, 0, 0] }],
});
const virtio = (c: CellConfig): CellConfig => ({
  ...c,
  warden_virtio: [{ name: "net0", base: 0x4000_0000n, vectors: 2 }],
});
const noConsole = (c: CellConfig): CellConfig => ({ ...c, flags: c.flags & ~cellFlags.VIRTUAL_CONSOLE_PERMITTED });
const cellOf = (r: ReturnType<typeof tsSurface>, name: string) => {
  const c = r.cells.find((x) => x.cell === name);
  if (!c) throw new Error(`no cell ${name}`);
  return c;
};
const reached = (c: ReturnType<typeof cellOf>) => c.entries.filter((e) => !e.refused).map((e) => e.name);

describe("the surface of each cell on the TypeScript core", () => {
  it("gives the built-in examples' numbers: the root reaches management, a non-root cell only its traps", () => {
    for (const set of [x86, arm]) {
      const r = tsSurface(set);
      const [root, ...others] = r.cells;
      expect(root?.root).toBe(true);
      expect(reached(root as never)).toContain("CELL_CREATE");
      for (const c of others) {
        expect(c.lines).toBeGreaterThan(100);
        expect(c.lines * 3).toBeLessThan(root?.lines ?? 0);
        expect(c.entries.find((e) => e.name === "CELL_CREATE")?.refused).toBe(true);
        expect(c.reached.some((f) => f.name === "cellCreate")).toBe(false);
        expect(c.reached.some((f) => f.name === "guestAccess")).toBe(true);
      }
    }
  });

  it("resolves every registry handler and all nine hypercalls of the dispatch switch", () => {
    const r = tsSurface(x86);
    const root = r.cells[0];
    expect(root?.entries.filter((e) => e.kind === "hypercall" && e.name !== "hypercall entry")).toHaveLength(9);
    expect(root?.entries.map((e) => e.name)).toEqual(
      expect.arrayContaining(
        entryPointsFor("x86")
          .filter((e) => e.reaches({ system: x86.system.config, cell: x86.system.config.root_cell, root: true }))
          .map((e) => e.name),
      ),
    );
  });

  it("sees a planted IOAPIC in a cell: new entry points, more lines, and the budget forbidding it fails", () => {
    const base = tsSurface(x86);
    const planted = tsSurface(plant(x86, "linux", ioapic));
    const before = cellOf(base, "linux");
    const after = cellOf(planted, "linux");
    expect(reached(before)).not.toContain("IOAPIC");
    expect(reached(after)).toEqual(expect.arrayContaining(["IOAPIC", "IOAPIC redirection"]));
    expect(after.lines).toBeGreaterThan(before.lines);
    expect(after.legacy.map((l) => l.tag)).toContain("ioapic");
    // The other cells do not change.
    expect(cellOf(planted, "rt-bare-metal").lines).toBe(cellOf(base, "rt-bare-metal").lines);
    const budget = loadBudget(join(packageRoot, "hypervisor", "budget.yaml"));
    const ok = checkSurfaceBudget(budget, base).find((t) => t.target === "x86-linux");
    const bad = checkSurfaceBudget(budget, planted).find((t) => t.target === "x86-linux");
    expect(ok?.checked && ok.overruns).toEqual([]);
    expect(bad?.overruns.map((o) => o.message).join("\n")).toMatch(/forbidden entry point "IOAPIC"/);
    const [delta] = surfaceDiff(planted, base, "without IOAPIC").filter((d) => d.cell === "linux");
    expect(delta?.removedByOther).toBe(after.lines - before.lines);
    expect(delta?.entriesRemoved).toEqual(["IOAPIC", "IOAPIC redirection"]);
  });

  it("a line limit below the cell's surface is an overrun", () => {
    const r = tsSurface(x86);
    const lines = cellOf(r, "linux").lines;
    const budget = { targets: {}, surface: { t: { cell: "linux", limit: lines - 1, forbid: [] } } };
    expect(checkSurfaceBudget(budget, r)[0]?.overruns).toHaveLength(1);
    expect(
      checkSurfaceBudget({ ...budget, surface: { t: { ...budget.surface.t, limit: lines } } }, r)[0]?.overruns,
    ).toEqual([]);
  });

  it("adding a device or flag never shrinks a cell's surface, and removing all gives the base back", () => {
    const features = [ioapic, virtio, noConsole] as const;
    const base = cellOf(tsSurface(plant(x86, "linux", noConsole)), "linux");
    fc.assert(
      fc.property(fc.subarray([0, 1]), fc.subarray([0, 1]), (a, b) => {
        const small = [...a, 2].map((i) => features[i] as (c: CellConfig) => CellConfig);
        const big = [...new Set([...a, ...b]), 2].map((i) => features[i] as (c: CellConfig) => CellConfig);
        const apply = (fs: typeof small) =>
          cellOf(tsSurface(plant(x86, "linux", (c) => fs.reduce((x, f) => f(x), c))), "linux");
        const s = apply(small);
        const l = apply(big);
        const mine = new Set(l.lineKeys);
        expect(s.lineKeys.every((k) => mine.has(k))).toBe(true);
        if (a.length === 0) expect(s.lineKeys).toEqual(base.lineKeys);
      }),
      { numRuns: 20 },
    );
  });

  it("a virtio device makes the MSI register handlers reachable", () => {
    const after = cellOf(tsSurface(plant(x86, "linux", virtio)), "linux");
    expect(reached(after)).toEqual(expect.arrayContaining(["virtio-mmio MSI registers (write)"]));
    expect(after.reached.some((f) => f.name === "irqGuestWrite")).toBe(true);
    expect(cellOf(tsSurface(x86), "linux").reached.some((f) => f.name === "irqGuestWrite")).toBe(false);
  });
});
