/**
 * A configuration set's physical memory map as a Mermaid flowchart: the hypervisor's memory and
 * one column per cell (root first) with its regions in address order, each with its range, size
 * and flags. Regions of different non-root cells that meet physically, and ROOTSHARED regions
 * root also has, are joined by a dotted "shared" edge, so intended sharing (ivshmem) and
 * accidental overlaps both show.
 */
import {
  type CellConfig,
  flagNamesOf,
  type MemoryRegion,
  memFlags,
  type SystemConfig,
} from "../../hypervisor/index.js";

export interface MemoryMapInput {
  readonly system: { readonly config: SystemConfig };
  readonly cells: readonly { readonly config: CellConfig }[];
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

export function memoryMap(set: MemoryMapInput): string {
  const lines = ["flowchart LR"];
  const hv = set.system.config.hypervisor_memory;
  lines.push(`  subgraph hv[${label("hypervisor")}]`);
  lines.push(`    hv0[${label(`${hex(hv.phys_start)} to ${hex(hv.phys_start + hv.size - 1n)} · ${size(hv.size)}`)}]`);
  lines.push("  end");
  const cells = [{ config: set.system.config.root_cell }, ...set.cells];
  const placed: { node: string; cell: number; start: bigint; end: bigint; rootShared: boolean }[] = [];
  cells.forEach(({ config }, c) => {
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
      placed.push({ node, cell: c, start: m.phys_start, end, rootShared: (m.flags & memFlags.ROOTSHARED) !== 0n });
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
      if (meet && (!withRoot || (a.rootShared && b.rootShared))) {
        lines.push(`  ${a.node} <-.->|shared| ${b.node}`, `  class ${a.node},${b.node} shared`);
      }
    }
  }
  lines.push("  classDef io fill:#e8f0fe", "  classDef shared fill:#fff3cd");
  return lines.join("\n");
}
