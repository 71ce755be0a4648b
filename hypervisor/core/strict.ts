/**
 * Strict mode: what Jailhouse's documentation promises for CELL_CREATE but the code does not do —
 * -EBUSY when the new cell claims memory, a PCI device, an interrupt pin, I/O ports or a stream ID
 * that another non-root cell owns. Declared sharing (ROOTSHARED on both sides, ivshmem) is allowed.
 */
import { pciTypes } from "../config/flags.js";
import { HypervisorError } from "./abi.js";
import { type Core, nonRootCells } from "./context.js";
import { has } from "./memory.js";
import { mappedRuns, pte } from "./pageTable.js";
import { pciKey } from "./pci.js";
import type { CellState } from "./state.js";

interface Span {
  readonly start: bigint;
  readonly end: bigint;
  readonly shared: boolean;
}

/** Host-physical ranges a cell can reach: its page-table leaves and its sub-page regions. */
export function reachable(core: Core, cell: CellState): Span[] {
  const spans: Span[] = mappedRuns(core.s, core.arch.paging, cell.pageTable).map((l) => ({
    start: BigInt(l.frame) * 4096n,
    end: BigInt(l.frame + l.count) * 4096n,
    shared: (l.flags & pte.SHARED) !== 0,
  }));
  for (const r of cell.mmio) spans.push({ start: r.phys, end: r.phys + r.size, shared: (r.flags & 0x80n) !== 0n });
  return spans;
}

export function strictCheck(core: Core, cell: CellState): void {
  const reason = conflict(core, cell) ?? core.arch.conflicts(core, cell);
  if (reason !== undefined) throw new HypervisorError("EBUSY");
}

function conflict(core: Core, cell: CellState): string | undefined {
  const others = nonRootCells(core).filter((c) => c !== cell);
  for (const other of others) {
    const theirs = reachable(core, other);
    for (const m of cell.config.memory_regions) {
      if (has(m, "COMM_REGION") || m.size === 0n) continue;
      const end = m.phys_start + m.size;
      const shared = has(m, "ROOTSHARED");
      if (theirs.some((t) => t.start < end && m.phys_start < t.end && !(shared && t.shared))) {
        return `memory 0x${m.phys_start.toString(16)} is mapped in cell "${other.name}"`;
      }
    }
    for (const d of cell.config.pci_devices) {
      if (d.type !== pciTypes.IVSHMEM && other.pci.has(pciKey(d)))
        return `PCI device ${pciKey(d)} belongs to "${other.name}"`;
    }
  }
  return undefined;
}
