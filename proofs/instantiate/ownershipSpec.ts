/**
 * The ownership model's view of a configuration set: CPUs; memory cut at every region boundary
 * into the classes the configuration actually forms; PCI devices (physical), IRQ pins, PIO ranges
 * and stream IDs. Only resources some non-root cell lists are modelled (others never move).
 */

import { type CellConfig, type ConfigSet, memFlags, pciTypes, pinsOf, showBdf } from "../../hypervisor/index.js";
import type { OwnershipSpec } from "../../models/index.js";

interface Claim {
  readonly resource: string;
  readonly shared: boolean;
}

function memoryClasses(set: ConfigSet): bigint[] {
  const cuts = new Set<bigint>();
  for (const c of [set.system.config.root_cell, ...set.cells.map((x) => x.config)]) {
    for (const m of c.memory_regions) {
      if (m.size === 0n || (m.flags & memFlags.COMM_REGION) !== 0n) continue;
      cuts.add(m.phys_start);
      cuts.add(m.phys_start + m.size);
    }
  }
  return [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function claims(c: CellConfig, cuts: readonly bigint[]): Claim[] {
  const out: Claim[] = c.cpus.map((cpu) => ({ resource: `cpu${cpu}`, shared: false }));
  for (const m of c.memory_regions) {
    if (m.size === 0n || (m.flags & memFlags.COMM_REGION) !== 0n) continue;
    // Upstream takes a sub-page region from root's MMIO dispatch only: root's page tables keep the page.
    const subpage = m.virt_start % 0x1000n !== 0n || m.size % 0x1000n !== 0n;
    const shared = (m.flags & memFlags.ROOTSHARED) !== 0n || subpage;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i] as bigint, cuts[i + 1] as bigint];
      if (a >= m.phys_start && b <= m.phys_start + m.size)
        out.push({ resource: `mem 0x${a.toString(16)}-0x${b.toString(16)}`, shared });
    }
  }
  for (const d of c.pci_devices)
    if (d.type !== pciTypes.IVSHMEM) out.push({ resource: `pci ${d.domain}:${showBdf(d.bdf)}`, shared: false });
  for (const q of c.irqchips)
    for (const pin of pinsOf(q.pin_base, q.pin_bitmap))
      out.push({ resource: `irq 0x${q.address.toString(16)}:${pin}`, shared: false });
  for (const p of c.pio_regions) out.push({ resource: `pio 0x${p.base.toString(16)}+${p.length}`, shared: false });
  for (const s of c.stream_ids) out.push({ resource: `stream 0x${s.toString(16)}`, shared: false });
  return out;
}

export function ownershipSpec(set: ConfigSet, mode: "upstream" | "strict"): OwnershipSpec {
  const cuts = memoryClasses(set);
  const byCell = new Map(set.cells.map((c) => [c.config.name, claims(c.config, cuts)]));
  const wanted = new Set([...byCell.values()].flatMap((cs) => cs.map((x) => x.resource)));
  const root = claims(set.system.config.root_cell, cuts).map((x) => x.resource);
  const cpus = root.filter((r) => r.startsWith("cpu"));
  return {
    cells: [...byCell.keys()],
    cpus,
    resources: [...wanted].filter((r) => !r.startsWith("cpu")).sort(),
    takes: Object.fromEntries([...byCell].map(([n, cs]) => [n, cs.filter((x) => !x.shared).map((x) => x.resource)])),
    shares: Object.fromEntries([...byCell].map(([n, cs]) => [n, cs.filter((x) => x.shared).map((x) => x.resource)])),
    rootOriginal: root.filter((r) => wanted.has(r) || r.startsWith("cpu")),
    mode,
  };
}
