import { describe, expect, it } from "vitest";
import {
  arm64,
  cellStateCodes,
  checkInvariants,
  errno,
  guestAccess,
  guestCpuOn,
  guestIpi,
  guestPio,
  guestRouteIrq,
  guestSystemReset,
  Hypervisor,
  IMAGE_FRAMES,
  PERCPU_FRAMES,
  poolUsedCount,
  readComm,
  rootDriver,
  walkTables,
  x86,
} from "../../../hypervisor/index.js";
import { boot, bootAll, drive } from "../../builders/machine.js";
import { OVERLAP_AT, overlappingExample } from "../../builders/overlappingExample.js";

describe("upstream and strict modes on overlapping configurations", () => {
  it("upstream maps the same RAM into both cells silently; the invariant check names the frame", () => {
    const { hv, set } = boot(overlappingExample(), "upstream");
    for (const c of set.cells) expect(drive(hv, rootDriver.cellCreate(hv, c.config)).result).toBe(0);
    const violations = checkInvariants(hv);
    expect(violations.map((v) => v.invariant)).toContain("memory-exclusive");
    expect(violations.find((v) => v.invariant === "memory-exclusive")?.message).toContain(
      `0x${(OVERLAP_AT / 4096n).toString(16)}`,
    );
  });

  it("strict refuses the second cell with -EBUSY and every invariant holds", () => {
    const { hv, set } = boot(overlappingExample(), "strict");
    const [rt, linux] = set.cells;
    expect(drive(hv, rootDriver.cellCreate(hv, rt?.config as never)).result).toBe(0);
    expect(drive(hv, rootDriver.cellCreate(hv, linux?.config as never)).result).toBe(-errno.EBUSY);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it("upstream re-assigns a PCI device another non-root cell holds; strict refuses", () => {
    for (const mode of ["upstream", "strict"] as const) {
      const { hv, set } = boot("x86", mode);
      const template = set.cells[0]?.config;
      if (!template) throw new Error("example changed");
      const device = set.system.config.root_cell.pci_devices[0];
      const withDevice = (name: string, cpus: number[], phys: bigint) => ({
        ...template,
        name,
        cpus,
        memory_regions: [
          { ...template.memory_regions[0], phys_start: phys } as never,
          template.memory_regions[1] as never,
        ],
        pio_regions: [],
        pci_devices: [device as never],
      });
      expect(drive(hv, rootDriver.cellCreate(hv, withDevice("a", [2], 0x3f000000n))).result).toBe(0);
      const second = drive(hv, rootDriver.cellCreate(hv, withDevice("b", [3], 0x3e000000n))).result;
      if (mode === "upstream") {
        expect(second).toBe(0);
        expect(checkInvariants(hv).map((v) => v.invariant)).toContain("device-exclusive");
      } else expect(second).toBe(-errno.EBUSY);
    }
  });
});

describe("a failed create after the commit point", () => {
  it("runs the destroy path and leaves pool, page mappings, CPUs and cells exactly as before", () => {
    const { hv: probe, set } = boot();
    const rootFrames = poolUsedCount(probe.s);
    const linux = set.cells[1]?.config;
    if (!linux) throw new Error("example changed");
    // Enough pool for the cell structures and units, not for splitting root's pages and the cell's tables.
    for (let spare = 8; spare < 80; spare++) {
      const size = BigInt((IMAGE_FRAMES + 4 * PERCPU_FRAMES + rootFrames + spare) * 4096);
      const system = { ...set.system.config, hypervisor_memory: { ...set.system.config.hypervisor_memory, size } };
      const hv = Hypervisor.enable(system, x86);
      const before = structuredClone(hv.s);
      const result = drive(hv, rootDriver.cellCreate(hv, linux)).result;
      if (result === 0) return;
      expect(result).toBe(-errno.ENOMEM);
      expect(hv.s.poolUsed).toEqual(before.poolUsed);
      const leaves = (s: typeof before) => walkTables(s, x86.paging, s.cells[0]?.pageTable ?? -1);
      expect(leaves(hv.s)).toEqual(leaves(before));
      for (const cpu of hv.s.cpus.values()) cpu.stats.fill(0);
      expect(hv.s.cpus).toEqual(before.cpus);
      expect(hv.s.cells).toEqual(before.cells);
      expect(checkInvariants(hv)).toEqual([]);
    }
    throw new Error("no pool size between 8 and 80 spare frames let the create succeed");
  });
});

describe("the guest interface", () => {
  it("parks a CPU as failed on an access outside its cell, and the cell is FAILED when all its CPUs are", () => {
    const { hv } = bootAll();
    const rt = hv.s.cells[1];
    if (!rt) throw new Error("no cell");
    const other = guestAccess(hv, 2, 0x3b000000n, 4, true, 1n);
    expect(other.kind).toBe("fatal");
    expect(hv.s.cpus.get(2)).toMatchObject({ failed: true, mode: "parked" });
    expect(readComm(hv, rt, "cellState")).toBe(cellStateCodes.FAILED);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it("lets a cell read and write its own RAM, and reads back what it wrote", () => {
    const { hv } = bootAll();
    expect(guestAccess(hv, 2, 0x1000n, 8, true, 0x1122334455667788n).kind).toBe("ok");
    expect(guestAccess(hv, 2, 0x1000n, 8, false)).toEqual({ kind: "ok", value: 0x1122334455667788n });
  });

  it("applies sub-page rules: direction, width bit, natural alignment", () => {
    const { hv, set } = boot();
    const rt = set.cells[0]?.config;
    if (!rt) throw new Error("example changed");
    const sub = { phys_start: 0xfd000100n, virt_start: 0x200100n, size: 0x100n, flags: 0x1n | 0x40000n };
    expect(drive(hv, rootDriver.cellCreate(hv, { ...rt, memory_regions: [...rt.memory_regions, sub] })).result).toBe(0);
    drive(hv, rootDriver.cellCommand(hv, "start", rt.name));
    expect(guestAccess(hv, 2, 0x200104n, 4, false).kind).toBe("ok");
    expect(guestAccess(hv, 2, 0x200104n, 2, false).kind).toBe("fatal");
  });

  it("x86: IPIs outside the cell are ignored, ports outside the whitelist are fatal, reset is fatal", () => {
    const { hv } = bootAll();
    expect(guestIpi(hv, 2, 3).kind).toBe("ignored");
    expect(guestIpi(hv, 2, 2).kind).toBe("ok");
    expect(guestPio(hv, 2, 0x2f8, 1, true).kind).toBe("ok");
    expect(guestPio(hv, 2, 0x3f8, 1, true).kind).toBe("fatal");
    expect(guestSystemReset(hv, 3).kind).toBe("fatal");
    expect(guestRouteIrq(hv, 0, 4, 3).kind).toBe("fatal");
  });

  it("arm64: only the first CPU runs after start, PSCI CPU_ON starts the others within the cell, reset is ignored", () => {
    const { hv, set } = boot("arm64");
    const rt = set.cells[0]?.config;
    if (!rt) throw new Error("example changed");
    expect(drive(hv, rootDriver.cellCreate(hv, { ...rt, cpus: [2, 3] })).result).toBe(0);
    expect(drive(hv, rootDriver.cellCommand(hv, "start", rt.name)).result).toBe(0);
    expect([hv.s.cpus.get(2)?.mode, hv.s.cpus.get(3)?.mode]).toEqual(["running", "off"]);
    expect(guestCpuOn(hv, 2, 1)).toEqual({ kind: "ok", value: -3n });
    expect(guestCpuOn(hv, 2, 3)).toEqual({ kind: "ok", value: 0n });
    expect(hv.s.cpus.get(3)?.mode).toBe("running");
    expect(guestSystemReset(hv, 2).kind).toBe("ignored");
    expect(guestIpi(hv, 2, 0).kind).toBe("ignored");
  });

  it("uses the architecture chosen by the system configuration", () => {
    expect(boot("x86").hv.arch).toBe(x86);
    expect(boot("arm64").hv.arch).toBe(arm64);
  });
});
