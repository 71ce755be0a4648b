import { describe, expect, it } from "vitest";
import type { ConfigSet, LoadedCell } from "../../../hypervisor/index.js";
import {
  exploreIrq,
  InputError,
  irqScenarios,
  irqSystemOf,
  loadExampleSet,
  runIrqScenario,
} from "../../../proofs/index.js";

const vda = { name: "vda", base: 0x1000_0000n, vectors: 2 };

function withDevices(set: ConfigSet, edit: (c: LoadedCell, i: number) => LoadedCell): ConfigSet {
  return { ...set, cells: set.cells.map(edit) };
}

function refusal(f: () => unknown): { code: string; file?: string; field?: string } {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return error.diagnostic;
    throw error;
  }
  throw new Error("no InputError");
}

describe("irqSystemOf (warden explore irq --config)", () => {
  for (const example of ["x86", "arm64"] as const) {
    it(`takes the ${example} set's device cell, its CPUs, a free root CPU and the set's architecture`, () => {
      const set = loadExampleSet(example);
      const host = set.cells.findIndex((c) => c.config.cpus.length > 0);
      const configured = withDevices(set, (c, i) =>
        i === host ? { ...c, config: { ...c.config, warden_virtio: [vda] } } : c,
      );
      const { system, shape } = irqSystemOf(configured);
      const cell = set.cells[host]?.config ?? expect.unreachable();
      expect(system).toMatchObject({ device: "vda", cell: cell.name, cpus: cell.cpus, vectors: 2, arch: example });
      expect(cell.cpus).not.toContain(system.rootCpu);
      expect(set.system.config.root_cell.cpus).toContain(system.rootCpu);
      expect(shape).toEqual({ cells: [cell.name], cpusPerCell: Math.min(2, cell.cpus.length), vectors: 2 });
      // The built-in scenarios run on the configured device: only unmask-only validation lets the retarget out.
      for (const design of ["trapped", "delivery", "unmask"] as const) {
        const r = runIrqScenario(irqScenarios[2] ?? expect.unreachable(), design, system);
        expect(r.escaped, design).toBe(design === "unmask" ? 1 : 0);
      }
    });
  }

  it("explores the configured shape: two device cells in the models", () => {
    const set = withDevices(loadExampleSet("x86"), (c) => ({
      ...c,
      config: { ...c.config, warden_virtio: [{ ...vda, name: `v-${c.config.name}`, vectors: 1 }] },
    }));
    const { shape, system } = irqSystemOf(set);
    expect(shape.cells).toEqual(set.cells.map((c) => c.config.name));
    expect(shape.vectors).toBe(1);
    const { cells } = exploreIrq(["unmask"], shape, [], undefined, system);
    expect(cells.find((c) => c.property === "DeliveredOnlyInOwningCell")?.verdict).toBe("violated");
  });

  it("refuses a set without a device, a device cell without CPUs and a third device cell, naming file and field", () => {
    const set = loadExampleSet("x86");
    expect(refusal(() => irqSystemOf(set))).toMatchObject({ code: "WRD203", field: "cells[0].warden_virtio" });
    const cpuless = withDevices(set, (c, i) =>
      i === 0 ? { ...c, config: { ...c.config, cpus: [], warden_virtio: [vda] } } : c,
    );
    expect(refusal(() => irqSystemOf(cpuless))).toMatchObject({
      code: "WRD203",
      file: set.cells[0]?.origin.file,
      field: "cells[0].cpus",
    });
    const third = set.cells[0] ?? expect.unreachable();
    const three = {
      ...set,
      cells: [...set.cells, { ...third, config: { ...third.config, name: "third" } }].map((c, i) => ({
        ...c,
        config: { ...c.config, warden_virtio: [{ ...vda, name: `v${i}` }] },
      })),
    };
    expect(refusal(() => irqSystemOf(three))).toMatchObject({ code: "WRD203", field: "cells[0].warden_virtio" });
  });
});
