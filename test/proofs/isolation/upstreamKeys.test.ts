/**
 * The keys and decodings the isolation rules use are upstream's: ivshmem links and PCI ownership
 * by BDF alone (ivshmem_init, pci_cell_init), stream IDs per IOMMU type (arm_smmu_cell_init for
 * MMU-500 id/mask; arm_smmuv3_cell_init and pvu_iommu_cell_init for exact ids). Each case is the
 * one the issue measured on upstream's configurations, rebuilt on the built-in examples; with
 * WARDEN_UPSTREAM_CELLS set, the upstream files themselves are checked too.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ConfigSet,
  encodeCell,
  iommuTypes,
  memFlags,
  type PciDevice,
  pciTypes,
} from "../../../hypervisor/index.js";
import { loadConfigSet, loadExampleSet, proveIsolation } from "../../../proofs/index.js";
import { root } from "../../e2e/run.js";

const verdictOf = async (set: ConfigSet, rule: string) => (await proveIsolation(set)).find((r) => r.rule.id === rule);

/** The x86 example with rt given extra PCI devices (and, optionally, extra memory regions). */
function withRtDevices(devices: PciDevice[], regions: ConfigSet["cells"][number]["config"]["memory_regions"] = []) {
  const set = loadExampleSet("x86");
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("example changed");
  const memory_regions = [...rt.config.memory_regions, ...regions];
  return { ...set, cells: [{ ...rt, config: { ...rt.config, memory_regions, pci_devices: devices } }, linux] };
}

const linuxIvshmem = (): PciDevice => {
  const d = loadExampleSet("x86").cells[1]?.config.pci_devices[0];
  if (!d || d.type !== pciTypes.IVSHMEM) throw new Error("example changed");
  return d;
};

const upstreamCells = (process.env.WARDEN_UPSTREAM_CELLS ?? "").split(":")[0] ?? "";
const cellFile = (name: string) => join(upstreamCells, `${name}.cell`);
const haveUpstream = upstreamCells !== "" && existsSync(cellFile("arm64-imx8mq"));
if (!haveUpstream) process.stderr.write("[warden] upstream key cases skipped: set WARDEN_UPSTREAM_CELLS\n");

describe("ivshmem links and PCI ownership are keyed by BDF alone (upstream ivshmem_init, pci_cell_init)", () => {
  it("an endpoint slot taken twice at one BDF is a violation even in another PCI domain", async () => {
    // linux holds endpoint 1 of the link at 00:0e.0; rt asks for endpoint 1 at 00:0e.0 in domain 1:
    // upstream's CELL_CREATE fails with -EBUSY (the link is found by BDF, its slot 1 is taken).
    const slot = await verdictOf(withRtDevices([{ ...linuxIvshmem(), domain: 1 }]), "WRD-IVSHMEM-SLOT");
    expect(slot?.verdict).toBe("violated");
    expect(slot?.witnesses[0]?.at).toBe(((0x0en << 3n) << 8n) | 1n);
    const free = await verdictOf(
      withRtDevices([{ ...linuxIvshmem(), domain: 1, shmem_dev_id: 2 }]),
      "WRD-IVSHMEM-SLOT",
    );
    expect(free?.verdict).toBe("proved");
  });

  it("peers of one link in different PCI domains share their regions legitimately", async () => {
    // rt joins linux's link from domain 1 with the same three regions: one link, so no overlap.
    const [rt, linux] = loadExampleSet("x86").cells;
    // linux's link: regions 3-6 (state table, read-write section, one output section per peer).
    const shared = linux?.config.memory_regions.slice(3, 7) ?? [];
    const start = rt?.config.memory_regions.length ?? 0;
    const dev = { ...linuxIvshmem(), domain: 1, shmem_dev_id: 0, shmem_regions_start: start };
    expect((await verdictOf(withRtDevices([dev], shared), "WRD-MEM-DISJOINT"))?.verdict).toBe("proved");
    // At another BDF it is another link, and the same regions are an overlap.
    const other = { ...dev, bdf: 0x0f << 3 };
    expect((await verdictOf(withRtDevices([other], shared), "WRD-MEM-DISJOINT"))?.verdict).toBe("violated");
  });

  it("one physical device in two cells is a violation whatever the domains", async () => {
    const set = loadExampleSet("x86");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const device = (domain: number): PciDevice => ({
      ...linuxIvshmem(),
      type: pciTypes.DEVICE,
      domain,
      bdf: 0x03 << 3,
    });
    const bad: ConfigSet = {
      ...set,
      cells: [
        { ...rt, config: { ...rt.config, pci_devices: [device(0)] } },
        { ...linux, config: { ...linux.config, pci_devices: [...linux.config.pci_devices, device(1)] } },
      ],
    };
    const pci = await verdictOf(bad, "WRD-PCI-EXCLUSIVE");
    expect(pci?.verdict).toBe("violated");
    expect(pci?.witnesses[0]?.at).toBe(0x03n << 3n);
  });

  it.skipIf(!haveUpstream)(
    "imx8mq: the inmate demo (domain 1) and the Linux demo (domain 2) share link 00:00.0",
    async () => {
      const files = ["arm64-imx8mq", "arm64-imx8mq-inmate-demo", "arm64-imx8mq-linux-demo"].map(cellFile);
      const mem = (await proveIsolation(loadConfigSet(files), [], { only: ["WRD-MEM-DISJOINT"] })).find(
        (r) => r.rule.id === "WRD-MEM-DISJOINT",
      );
      const regions = (mem?.witnesses ?? []).map((w) => [w.first.what, w.second.what].sort().join(" / "));
      // Regions 0-2 are the link's state table, read-write and first output sections: not findings.
      for (const k of [0, 1, 2]) expect(regions).not.toContain(`memory region ${k} / memory region ${k}`);
      expect(regions).toContain("memory region 3 / memory region 3");
    },
  );
});

describe("stream IDs are decoded per IOMMU type (upstream arm_smmu_cell_init, arm_smmuv3_cell_init, pvu_iommu_cell_init)", () => {
  const withStreams = (type: number, rtIds: number[], linuxIds: number[]): ConfigSet => {
    const set = loadExampleSet("arm64");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const platform = set.system.config.platform;
    const iommu_units = platform.iommu_units.map((u, i) => (i === 0 ? { ...u, type } : u));
    return {
      system: { ...set.system, config: { ...set.system.config, platform: { ...platform, iommu_units } } },
      cells: [
        { ...rt, config: { ...rt.config, stream_ids: rtIds } },
        { ...linux, config: { ...linux.config, stream_ids: linuxIds } },
      ],
    };
  };

  it("k3-j721e's 0xf003 and 0x7003 are two streams on SMMUv3 and on the PVU, one on an MMU-500", async () => {
    for (const type of [iommuTypes.SMMUV3, iommuTypes.PVU]) {
      expect((await verdictOf(withStreams(type, [0x7003], [0x0003, 0xf003]), "WRD-STREAM-EXCLUSIVE"))?.verdict).toBe(
        "proved",
      );
      const same = await verdictOf(withStreams(type, [0xf003], [0x0003, 0xf003]), "WRD-STREAM-EXCLUSIVE");
      expect([same?.verdict, same?.witnesses[0]?.at]).toEqual(["violated", 0xf003n]);
    }
    // MMU-500 reads bits 14:0 as the id (SMR_GET_ID): 0xf003 is stream 0x7003.
    const mmu500 = await verdictOf(withStreams(iommuTypes.ARM_MMU500, [0x7003], [0xf003]), "WRD-STREAM-EXCLUSIVE");
    expect([mmu500?.verdict, mmu500?.witnesses[0]?.at]).toEqual(["violated", 0x7003n]);
  });

  it.skipIf(!haveUpstream)(
    "on k3-j721e-evm itself, a cell with stream 0x7003 does not clash with the Linux demo's 0xf003",
    async () => {
      const set = loadConfigSet(["arm64-k3-j721e-evm", "arm64-k3-j721e-evm-linux-demo"].map(cellFile));
      const [linux] = set.cells;
      if (!linux) throw new Error("no cell");
      const other = {
        ...linux,
        config: {
          ...linux.config,
          name: "other",
          cpus: [],
          memory_regions: [],
          pci_devices: [],
          irqchips: [],
          stream_ids: [0x7003],
        },
      };
      const streams = await verdictOf({ ...set, cells: [linux, other] }, "WRD-STREAM-EXCLUSIVE");
      expect(streams?.verdict).toBe("proved");
    },
  );
});

describe("witness offsets in binary files", () => {
  it("cite the CPU's byte in the bitmap and the header field of a platform window", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-iso-"));
    const set = loadExampleSet("x86");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const onHv = {
      phys_start: set.system.config.hypervisor_memory.phys_start,
      virt_start: 0x200000n,
      size: 0x1000n,
      flags: memFlags.READ,
    };
    writeFileSync(
      join(dir, "rt.cell"),
      encodeCell({ ...rt.config, cpus: [9], memory_regions: [...rt.config.memory_regions, onHv] }),
    );
    writeFileSync(join(dir, "linux.cell"), encodeCell({ ...linux.config, cpus: [3, 9] }));
    const ex = join(root, "examples/x86");
    const binary = loadConfigSet([join(ex, "qemu-x86.cell"), join(dir, "rt.cell"), join(dir, "linux.cell")]);
    const results = await proveIsolation(binary, [], { only: ["WRD-CPU-DISJOINT", "WRD-MEM-HYPERVISOR"] });
    const cpu = results.find((r) => r.rule.id === "WRD-CPU-DISJOINT")?.witnesses[0];
    expect(cpu?.at).toBe(9n);
    for (const ref of [cpu?.first, cpu?.second]) {
      const bytes = readFileSync(ref?.file ?? "");
      // CPU 9 is bit 1 of the bitmap's second byte.
      expect([ref?.byteOffset, (bytes[ref?.byteOffset ?? 0] ?? 0) & 2]).toEqual([133, 2]);
    }
    const hv = results.find((r) => r.rule.id === "WRD-MEM-HYPERVISOR")?.witnesses[0];
    const platform = [hv?.first, hv?.second].find((r) => r?.cell === "platform");
    const system = readFileSync(join(ex, "qemu-x86.cell"));
    expect(system.readBigUInt64LE(platform?.byteOffset ?? 0)).toBe(set.system.config.hypervisor_memory.phys_start);
  });
});
