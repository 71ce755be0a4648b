/**
 * Random cell configurations for the built-in x86 system, and random sequences of management
 * and guest actions to run on them. Cells may overlap each other in memory, devices, pins and
 * ports; `disjoint` tells whether a generated set happens to be free of such overlaps.
 */
import fc from "fast-check";
import { type CellConfig, type ConfigSet, cellFlags, memFlags, pciTypes } from "../../hypervisor/index.js";
import { loadExampleSet } from "../../proofs/index.js";

const RW = memFlags.READ | memFlags.WRITE;
const base = () => loadExampleSet("x86");

const ramRegion = fc.record({
  page: fc.integer({ min: 0x100, max: 0x39000 }),
  pages: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(512, 1024)),
  extra: fc.constantFrom(0n, memFlags.LOADABLE, memFlags.ROOTSHARED, memFlags.NO_HUGEPAGES),
});

const cellArb = (name: string) =>
  fc
    .record({
      cpus: fc.subarray([1, 2, 3], { minLength: 0, maxLength: 2 }),
      ram: fc.array(ramRegion, { minLength: 1, maxLength: 3 }),
      subpage: fc.boolean(),
      passive: fc.boolean(),
      timeout: fc.constantFrom(0n, 5n),
      ports: fc.subarray([0x2f8, 0x3f8, 0x60], { maxLength: 2 }),
      pins: fc.nat({ max: 0xff }),
      device: fc.constantFrom(undefined, 0x10, 0x18),
    })
    .map((r): CellConfig => {
      const template = base().cells[0]?.config as CellConfig;
      const memory = r.ram.map((m, i) => ({
        phys_start: BigInt(m.page) * 0x1000n,
        virt_start: BigInt(i) * 0x10000000n,
        size: BigInt(m.pages) * 0x1000n,
        flags: RW | memFlags.EXECUTE | m.extra,
      }));
      memory.push({ phys_start: 0n, virt_start: 0x80000000n, size: 0x1000n, flags: RW | memFlags.COMM_REGION });
      if (r.subpage)
        memory.push({ phys_start: 0xfd000100n, virt_start: 0x90000100n, size: 0x100n, flags: RW | memFlags.IO_32 });
      const device = template.pci_devices[0];
      return {
        ...template,
        name,
        flags: r.passive ? cellFlags.PASSIVE_COMMREG : 0,
        cpus: r.cpus,
        msg_reply_timeout: r.timeout,
        memory_regions: memory,
        pio_regions: r.ports.map((p) => ({ base: p, length: 8 })),
        irqchips: r.pins ? [{ address: 0xfec00000n, id: 0xff00, pin_base: 0, pin_bitmap: [r.pins, 0, 0, 0] }] : [],
        pci_devices:
          r.device === undefined || !device
            ? []
            : [
                {
                  ...device,
                  type: pciTypes.DEVICE,
                  bdf: r.device,
                  shmem_regions_start: 0,
                  shmem_dev_id: 0,
                  shmem_peers: 0,
                },
              ],
      };
    });

/** A configuration set: the example system with two or three random cells. */
export const randomSet: fc.Arbitrary<ConfigSet> = fc
  .tuple(cellArb("c0"), cellArb("c1"), fc.option(cellArb("c2"), { nil: undefined }))
  .map(([a, b, c]) => {
    const set = base();
    const origin = set.cells[0]?.origin ?? set.system.origin;
    return { ...set, cells: [a, b, ...(c ? [c] : [])].map((config) => ({ config, origin })) };
  });

export type Action =
  | { readonly kind: "create" | "start" | "load" | "destroy"; readonly cell: number }
  | { readonly kind: "policy"; readonly cell: number; readonly policy: "approve" | "deny" | "silent" | "unknown" }
  | {
      readonly kind: "state";
      readonly cell: number;
      readonly state: "RUNNING" | "RUNNING_LOCKED" | "SHUT_DOWN" | "FAILED";
    }
  | { readonly kind: "access"; readonly cell: number; readonly addr: bigint; readonly write: boolean }
  | { readonly kind: "ipi" | "route"; readonly cell: number; readonly cpu: number; readonly pin: number }
  | { readonly kind: "hypercall"; readonly cpu: number; readonly code: number; readonly arg: bigint };

const cell = fc.nat({ max: 2 });
export const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom("create", "start", "load", "destroy"), cell }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("policy"),
      cell,
      policy: fc.constantFrom("approve", "deny", "silent", "unknown"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("state"),
      cell,
      state: fc.constantFrom("RUNNING", "RUNNING_LOCKED", "SHUT_DOWN", "FAILED"),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("access"),
      cell,
      addr: fc.constantFrom(
        0n,
        0x1000n,
        0x10000000n,
        0x80000000n,
        0x80000008n,
        0x90000100n,
        0x90000104n,
        0x3f000000n,
        0xfec00000n,
      ),
      write: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("ipi", "route"),
      cell,
      cpu: fc.nat({ max: 4 }),
      pin: fc.nat({ max: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hypercall"),
      cpu: fc.nat({ max: 3 }),
      code: fc.nat({ max: 10 }),
      arg: fc.bigInt({ min: 0n, max: 4n }),
    }),
  },
);
