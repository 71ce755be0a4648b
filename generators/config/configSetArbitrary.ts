/**
 * Configuration sets for conformance and property tests: a system's root cell with random
 * non-root cells carved from its RAM. `valid` cells are pairwise disjoint in CPUs, memory, devices,
 * pins and ports; `overlapping` cells may share any of them (what upstream accepts silently);
 * `edge` adds the corners: empty CPU sets, sub-page regions, 1-page and 2 MiB-aligned regions,
 * huge pages forbidden, passive comm regions, reply timeouts of 0.
 */
import fc from "fast-check";
import {
  type CellConfig,
  type ConfigSet,
  cellFlags,
  type MemoryRegion,
  memFlags,
  pciTypes,
} from "../../hypervisor/index.js";

export type ConfigSetKind = "valid" | "overlapping" | "edge";

const RWX = memFlags.READ | memFlags.WRITE | memFlags.EXECUTE;
const PAGE = 0x1000n;

interface Draw {
  readonly cpu: number;
  readonly slot: number;
  readonly pages: number;
  readonly extra: bigint;
  readonly passive: boolean;
  readonly timeout: bigint;
  readonly subpage: boolean;
  readonly port: number;
  readonly pin: number;
  readonly device: boolean;
}

const draw = (kind: ConfigSetKind): fc.Arbitrary<Draw> =>
  fc.record({
    cpu: fc.nat({ max: 15 }),
    slot: fc.nat({ max: 15 }),
    pages: kind === "edge" ? fc.constantFrom(1, 512, 513) : fc.integer({ min: 1, max: 64 }),
    extra:
      kind === "edge"
        ? fc.constantFrom(0n, memFlags.NO_HUGEPAGES, memFlags.LOADABLE, memFlags.ROOTSHARED)
        : fc.constantFrom(0n, memFlags.LOADABLE),
    passive: fc.boolean(),
    timeout: fc.constantFrom(0n, 3n),
    subpage: kind === "edge" ? fc.boolean() : fc.constant(false),
    port: fc.nat({ max: 3 }),
    pin: fc.nat({ max: 7 }),
    device: fc.boolean(),
  });

/**
 * Sets of 1–3 non-root cells for `base`'s system. Cells take CPUs other than the lowest (the root
 * keeps it), RAM from the root's largest RAM region, ports and pins from the root's.
 */
export function configSetArbitrary(base: ConfigSet, kind: ConfigSetKind): fc.Arbitrary<ConfigSet> {
  const root = base.system.config.root_cell;
  const cpus = [...root.cpus].sort((a, b) => a - b).slice(1);
  const ram = [...root.memory_regions]
    .filter((m) => (m.flags & RWX) === RWX)
    .sort((a, b) => (a.size > b.size ? -1 : 1))[0];
  const template = base.cells[0]?.config;
  if (!ram || !template || cpus.length === 0) throw new Error("the base set needs root RAM, a spare CPU and one cell");
  return fc.array(draw(kind), { minLength: 1, maxLength: Math.min(3, cpus.length) }).map((draws) => {
    const cells = draws.map((d, i) => cellOf(base, template, ram, cpus, kind, d, i));
    const origin = base.cells[0]?.origin ?? base.system.origin;
    return { ...base, cells: cells.map((config) => ({ config, origin })) };
  });
}

function cellOf(
  base: ConfigSet,
  template: CellConfig,
  ram: MemoryRegion,
  cpus: readonly number[],
  kind: ConfigSetKind,
  d: Draw,
  i: number,
): CellConfig {
  const disjoint = kind !== "overlapping";
  // Disjoint cells get their own 16 MiB window of the root's RAM; overlapping ones draw a window.
  const window = BigInt(disjoint ? i : d.slot % 3) * 0x1000000n;
  const offset = disjoint ? 0n : BigInt(d.slot) * 0x80000n;
  const phys = ((ram.phys_start + 0x200000n + window + offset) / 0x200000n) * 0x200000n;
  const memory: MemoryRegion[] = [
    { phys_start: phys, virt_start: 0n, size: BigInt(d.pages) * PAGE, flags: RWX | d.extra },
    {
      phys_start: 0n,
      virt_start: 0x80000000n,
      size: PAGE,
      flags: memFlags.READ | memFlags.WRITE | memFlags.COMM_REGION,
    },
  ];
  if (d.subpage)
    memory.push({
      phys_start: phys + 0x800000n,
      virt_start: 0x90000100n,
      size: 0x100n,
      flags: memFlags.READ | memFlags.IO_32,
    });
  const rootPorts = base.system.config.root_cell.pio_regions;
  const port = rootPorts[(disjoint ? i : d.port) % Math.max(1, rootPorts.length)];
  const chip = base.system.config.root_cell.irqchips[0];
  const pin = disjoint ? i : d.pin;
  const device = base.system.config.root_cell.pci_devices.find((p) => p.type !== pciTypes.IVSHMEM);
  return {
    ...template,
    name: `cell${i}`,
    id: 0,
    flags: d.passive ? cellFlags.PASSIVE_COMMREG : 0,
    cpus: kind === "edge" && d.cpu === 0 ? [] : [cpus[(disjoint ? i : d.cpu) % cpus.length] as number],
    msg_reply_timeout: d.timeout,
    memory_regions: memory,
    cache_regions: [],
    pio_regions: port ? [port] : [],
    irqchips: chip ? [{ ...chip, pin_bitmap: [1 << (pin % 32), 0, 0, 0] }] : [],
    pci_devices: device && d.device && (!disjoint || i === 0) ? [device] : [],
    pci_caps: [],
    stream_ids: [],
  };
}
