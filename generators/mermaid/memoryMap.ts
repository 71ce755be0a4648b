/**
 * A configuration set's physical memory map as a Mermaid flowchart: the hypervisor's memory and
 * one column per cell (root first) with its regions in address order, each with its range, size
 * and flags. Regions of different cells that meet physically are joined: a dotted "shared" edge
 * for intended sharing (the same region of one ivshmem link, ROOTSHARED regions root also has,
 * a range the sharing policy declares for both cells), a thick red "overlap" edge for everything
 * else, which the isolation proof reports as a violation.
 */
import {
  type CellConfig,
  flagNamesOf,
  type MemoryRegion,
  memFlags,
  pciTypes,
  type SystemConfig,
} from "../../hypervisor/index.js";

export interface MemoryMapInput {
  readonly system: { readonly config: SystemConfig };
  readonly cells: readonly { readonly config: CellConfig }[];
}

/** A declared sharing (the `--sharing` policy): these cells may share [start, end). */
export interface DeclaredSharing {
  readonly cells: readonly string[];
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The ivshmem link (its BDF: upstream's ivshmem_init matches links by BDF alone) of each region a
 * cell's ivshmem devices use, from shmem_regions_start on.
 */
function ivshmemLinks(config: CellConfig): Map<number, number> {
  const link = new Map<number, number>();
  for (const d of config.pci_devices) {
    if (d.type !== pciTypes.IVSHMEM) continue;
    for (let i = d.shmem_regions_start; i < d.shmem_regions_start + 2 + d.shmem_peers; i++) link.set(i, d.bdf);
  }
  return link;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

function size(n: bigint): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  while (n >= 1024n && n % 1024n === 0n && u < units.length - 1) {
    n /= 1024n;
    u++;
  }
  return `${n} ${units[u]}`;
}

/** Flag names shortened for the diagram (R W X, then the rest as upstream names them). */
function flags(m: MemoryRegion): string {
  const names = flagNamesOf(memFlags, m.flags);
  const rwx = ["READ", "WRITE", "EXECUTE"].map((f, i) => (names.includes(f) ? "RWX"[i] : "-")).join("");
  return [rwx, ...names.filter((f) => !["READ", "WRITE", "EXECUTE"].includes(f))].join(" ");
}

const label = (text: string) => `"${text.replace(/["<>#;]/g, " ")}"`;

export function memoryMap(set: MemoryMapInput, sharing: readonly DeclaredSharing[] = []): string {
  const lines = ["flowchart LR"];
  const hv = set.system.config.hypervisor_memory;
  lines.push(`  subgraph hv[${label("hypervisor")}]`);
  lines.push(`    hv0[${label(`${hex(hv.phys_start)} to ${hex(hv.phys_start + hv.size - 1n)} · ${size(hv.size)}`)}]`);
  lines.push("  end");
  const cells = [{ config: set.system.config.root_cell }, ...set.cells];
  const placed: {
    node: string;
    cell: number;
    name: string;
    start: bigint;
    end: bigint;
    rootShared: boolean;
    link?: number;
  }[] = [];
  cells.forEach(({ config }, c) => {
    const links = ivshmemLinks(config);
    lines.push(`  subgraph c${c}[${label(`${config.name}${c === 0 ? " (root)" : ""}`)}]`, "    direction TB");
    const regions = config.memory_regions
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => m.size > 0n && (m.flags & memFlags.COMM_REGION) === 0n)
      .sort((a, b) => (a.m.phys_start < b.m.phys_start ? -1 : a.m.phys_start > b.m.phys_start ? 1 : 0));
    for (const { m, i } of regions) {
      const node = `c${c}r${i}`;
      const end = m.phys_start + m.size - 1n;
      lines.push(
        `    ${node}[${label(`region ${i}: ${hex(m.phys_start)} to ${hex(end)} · ${size(m.size)} · ${flags(m)}`)}]`,
      );
      if (m.flags & memFlags.IO) lines.push(`    class ${node} io`);
      const rootShared = (m.flags & memFlags.ROOTSHARED) !== 0n;
      const link = rootShared ? links.get(i) : undefined;
      placed.push({
        node,
        cell: c,
        name: config.name,
        start: m.phys_start,
        end,
        rootShared,
        ...(link !== undefined ? { link } : {}),
      });
    }
    if (regions.length === 0) lines.push(`    c${c}none[${label("no memory regions")}]`);
    lines.push("  end");
  });
  for (const [k, a] of placed.entries()) {
    for (const b of placed.slice(k + 1)) {
      // Root and a non-root cell meet wherever the cell's memory was carved out of root's; only
      // ROOTSHARED regions are shared with root on purpose.
      const withRoot = a.cell === 0 || b.cell === 0;
      const meet = a.cell !== b.cell && a.start <= b.end && b.start <= a.end;
      if (!meet || (withRoot && !(a.rootShared && b.rootShared))) continue;
      const sameLinkRegion = a.link !== undefined && a.link === b.link && a.start === b.start && a.end === b.end;
      const lo = a.start > b.start ? a.start : b.start;
      const hi = a.end < b.end ? a.end : b.end;
      const declared = sharing.some(
        (d) => d.cells.includes(a.name) && d.cells.includes(b.name) && d.start <= lo && hi < d.end,
      );
      if (withRoot || sameLinkRegion || declared) {
        lines.push(`  ${a.node} <-.->|shared| ${b.node}`, `  class ${a.node},${b.node} shared`);
      } else {
        lines.push(`  ${a.node} <==>|overlap| ${b.node}`, `  class ${a.node},${b.node} violation`);
      }
    }
  }
  lines.push(
    "  classDef io fill:#e8f0fe",
    "  classDef shared fill:#fff3cd",
    "  classDef violation fill:#f8d7da,stroke:#c00",
  );
  return lines.join("\n");
}
