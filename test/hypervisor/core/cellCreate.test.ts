import { describe, expect, it } from "vitest";
import {
  cellFlags,
  errno,
  Hypervisor,
  HypervisorError,
  hypercallCodes,
  IMAGE_FRAMES,
  memFlags,
  PERCPU_FRAMES,
  poolUsedCount,
  rootDriver,
  writeOwnState,
  x86,
} from "../../../hypervisor/index.js";
import { boot, bootAll, cellOf, drive, rawCreate, stage } from "../../builders/machine.js";

const E = (name: keyof typeof errno) => -errno[name];

describe("CELL_CREATE", () => {
  it("creates a cell in SHUT_DOWN with its CPUs parked and taken from root", () => {
    const { hv, set } = boot();
    const call = rawCreate(hv, cellOf(set, 0));
    expect(call.result).toBe(0);
    const cell = hv.s.cells[1];
    expect(cell?.name).toBe("rt-bare-metal");
    expect([...(hv.s.cells[0]?.cpus ?? [])]).toEqual([0, 1, 3]);
    expect(hv.s.cpus.get(2)).toMatchObject({ cell: 1, mode: "parked", failed: false });
    expect(drive(hv, hv.hypercall(0, hypercallCodes.CELL_GET_STATE, 1n)).result).toBe(2);
  });

  it("returns -EPERM when a non-root CPU calls it, before suspending anything", () => {
    const { hv, set } = bootAll();
    const bytes = stage(hv, cellOf(set, 0, { name: "other", id: 9, cpus: [] }));
    expect(drive(hv, hv.hypercall(2, hypercallCodes.CELL_CREATE, bytes)).result).toBe(E("EPERM"));
  });

  it("checks the lock before the duplicate name (-EPERM, not -EEXIST)", () => {
    const { hv, set } = bootAll();
    writeOwnState(hv, hv.s.cells[1] as never, "RUNNING_LOCKED");
    expect(rawCreate(hv, cellOf(set, 0)).result).toBe(E("EPERM"));
    writeOwnState(hv, hv.s.cells[1] as never, "RUNNING");
    expect(rawCreate(hv, cellOf(set, 0, { id: 7 })).result).toBe(E("EEXIST"));
  });

  it("returns -EEXIST for a duplicate id as well as a duplicate name", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0)).result).toBe(0);
    expect(rawCreate(hv, cellOf(set, 1, { id: 1 })).result).toBe(E("EEXIST"));
    expect(rawCreate(hv, cellOf(set, 1, { id: 0, name: "x" })).result).toBe(E("EEXIST"));
  });

  it("returns -ENOMEM when the configuration address is not mapped in root", () => {
    const { hv } = boot();
    expect(drive(hv, hv.hypercall(0, hypercallCodes.CELL_CREATE, 0x3a000000n)).result).toBe(E("ENOMEM"));
  });

  it("returns -E2BIG past 16 pages, counting the offset within the first page, but checks duplicates first", () => {
    const { hv, set } = boot();
    const region = { phys_start: 0x3f000000n, virt_start: 0n, size: 0x1000n, flags: memFlags.READ };
    // 132 + 8 + 32·n bytes: n = 2043 is 65,516 bytes; it fits 64 KiB at offset 0, not at offset 24.
    const big = cellOf(set, 0, { memory_regions: Array(2043).fill(region) });
    expect(drive(hv, hv.hypercall(0, hypercallCodes.CELL_CREATE, stage(hv, big, 0x1000018n))).result).toBe(E("E2BIG"));
    expect(rawCreate(hv, cellOf(set, 0, { memory_regions: Array(2100).fill(region), name: "qemu-x86" })).result).toBe(
      E("EEXIST"),
    );
    expect(rawCreate(hv, big, 0, 0x1000000n).result).not.toBe(E("E2BIG"));
  });

  it("returns -EBUSY when the calling CPU is in the new set, or a CPU is not root's", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0, { cpus: [0] })).result).toBe(E("EBUSY"));
    expect(rawCreate(hv, cellOf(set, 0, { cpus: [7] })).result).toBe(E("EBUSY"));
    expect(rawCreate(hv, cellOf(set, 0)).result).toBe(0);
    expect(rawCreate(hv, cellOf(set, 1, { cpus: [2] })).result).toBe(E("EBUSY"));
  });

  it("accepts an empty CPU set, as upstream does", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0, { cpus: [] })).result).toBe(0);
  });

  it("returns -EINVAL for a CPU set over 4096 bytes", () => {
    const { hv, set } = boot();
    expect(rawCreate(hv, cellOf(set, 0, { cpu_set_size: 4100 })).result).toBe(E("EINVAL"));
  });

  it("returns -EINVAL for an ivshmem device whose regions do not fit, and -EBUSY for a taken endpoint slot", () => {
    const { hv, set } = boot();
    const linux = cellOf(set, 1);
    const ivshmem = linux.pci_devices[0];
    if (!ivshmem) throw new Error("example changed");
    expect(rawCreate(hv, { ...linux, pci_devices: [{ ...ivshmem, shmem_regions_start: 6 }] }).result).toBe(E("EINVAL"));
    expect(rawCreate(hv, { ...linux, pci_devices: [{ ...ivshmem, shmem_dev_id: 12 }] }).result).toBe(E("EINVAL"));
    expect(rawCreate(hv, { ...linux, pci_devices: [{ ...ivshmem, shmem_dev_id: 0 }] }).result).toBe(E("EBUSY"));
  });

  it("returns -ENOMEM when the page pool runs out, and leaves the pool as it was", () => {
    const set = boot().set;
    // Just enough hypervisor memory for the root cell: image, per-CPU areas and root's frames.
    const rootFrames = poolUsedCount(boot().hv.s);
    const size = BigInt((IMAGE_FRAMES + 4 * PERCPU_FRAMES + rootFrames) * 4096);
    const system = { ...set.system.config, hypervisor_memory: { ...set.system.config.hypervisor_memory, size } };
    const hv = Hypervisor.enable(system, x86);
    expect(drive(hv, hv.hypercall(0, hypercallCodes.HYPERVISOR_GET_INFO, 0n)).result).toBe(rootFrames);
    const before = poolUsedCount(hv.s);
    expect(rawCreate(hv, cellOf(set, 1)).result).toBe(E("ENOMEM"));
    expect(poolUsedCount(hv.s)).toBe(before);
  });

  it("refuses to enable with less hypervisor memory than the image needs", () => {
    const set = boot().set;
    const system = {
      ...set.system.config,
      hypervisor_memory: { ...set.system.config.hypervisor_memory, size: 0x100000n },
    };
    expect(() => Hypervisor.enable(system, x86)).toThrow(HypervisorError);
  });
});

describe("the root driver before CELL_CREATE", () => {
  it("picks the smallest free id, sets VIRTUAL_CONSOLE_PERMITTED when ACTIVE, and refuses x86 CPU 0", () => {
    const { hv, set } = boot();
    const active = { ...set.cells[0]?.config, flags: cellFlags.VIRTUAL_CONSOLE_ACTIVE } as never;
    expect(drive(hv, rootDriver.cellCreate(hv, active)).result).toBe(0);
    expect(hv.s.cells[1]?.id).toBe(1);
    expect((hv.s.cells[1]?.config.flags ?? 0) & cellFlags.VIRTUAL_CONSOLE_PERMITTED).not.toBe(0);
    const cpu0 = { ...set.cells[1]?.config, cpus: [0] } as never;
    expect(drive(hv, rootDriver.cellCreate(hv, cpu0)).result).toBe(E("EINVAL"));
  });
});
