/**
 * The core's invariant check as it was before page-table walks were cached and the checks were
 * rewritten over bitmaps and per-configuration lookups (hypervisor/core/invariants.ts): every walk
 * afresh, every port one by one. Tests hold the real check to the same violations, in the same order.
 */

import { has, isSubpage } from "../../../hypervisor/core/memory.js";
import { pciKey } from "../../../hypervisor/core/pci.js";
import {
  type CellState,
  type Hypervisor,
  nonRootCells,
  pciTypes,
  pinsOf,
  pte,
  rootCell,
  walkTables,
} from "../../../hypervisor/index.js";

type Core = Hypervisor;

/** walkTables' leaves with contiguous runs merged, as mappedRuns was computed. */
function mappedRuns(s: Core["s"], paging: Core["arch"]["paging"], root: number) {
  const runs: { gfn: number; frame: number; count: number; flags: number }[] = [];
  for (const l of walkTables(s, paging, root).leaves) {
    const last = runs[runs.length - 1];
    if (last && last.gfn + last.count === l.gfn && last.frame + last.count === l.frame && last.flags === l.flags) {
      runs[runs.length - 1] = { ...last, count: last.count + l.count };
    } else runs.push(l);
  }
  return runs;
}

export interface InvariantViolation {
  /** Short identifier: cpu-partition, unique-cell, memory-exclusive, root-isolation, hypervisor-exposed, root-gains, pool-balance, device-/pin-/port-exclusive, cell-bounds. */
  readonly invariant: string;
  readonly message: string;
}

export function referenceInvariants(core: Core): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const add = (invariant: string, message: string) => out.push({ invariant, message });
  cpuPartition(core, add);
  uniqueCells(core, add);
  memory(core, add);
  rootGains(core, add);
  pool(core, add);
  exclusive(core, add);
  withinConfig(core, add);
  return out;
}

type Add = (invariant: string, message: string) => void;

function cpuPartition(core: Core, add: Add): void {
  for (const [cpu, state] of core.s.cpus) {
    const owners = core.s.cells.filter((c) => c.cpus.has(cpu));
    if (owners.length !== 1) add("cpu-partition", `CPU ${cpu} is in ${owners.length} cells' CPU sets`);
    else if (owners[0]?.id !== state.cell)
      add("cpu-partition", `CPU ${cpu} names cell ${state.cell} but belongs to "${owners[0]?.name}"`);
  }
  for (const c of core.s.cells) {
    for (const cpu of c.cpus)
      if (!core.s.cpus.has(cpu)) add("cpu-partition", `cell "${c.name}" holds unconfigured CPU ${cpu}`);
  }
}

function uniqueCells(core: Core, add: Add): void {
  const names = core.s.cells.map((c) => c.name);
  const ids = core.s.cells.map((c) => c.id);
  if (new Set(names).size !== names.length || new Set(ids).size !== ids.length)
    add("unique-cell", "cell names or ids repeat");
}

interface HostSpan {
  readonly cell: CellState;
  readonly start: number;
  readonly end: number;
  readonly shared: boolean;
  readonly withRoot: boolean;
}

/** Host frames mapped into at most one non-root cell unless both declare sharing; no hypervisor frame but a cell's own comm page. */
function memory(core: Core, add: Add): void {
  const spans: HostSpan[] = [];
  const root = rootCell(core);
  const poolStart = core.s.poolBase;
  const poolEnd = poolStart + core.s.poolUsed.length;
  for (const cell of core.s.cells) {
    const loading = cell.loadable ? cell.config.memory_regions.filter((m) => has(m, "LOADABLE")) : [];
    for (const l of mappedRuns(core.s, core.arch.paging, cell.pageTable)) {
      for (const [start, end] of excluding(l.frame, l.frame + l.count, cell.dataFrames[0])) {
        if (start < poolEnd && poolStart < end) {
          add(
            "hypervisor-exposed",
            `cell "${cell.name}" maps hypervisor frames 0x${Math.max(start, poolStart).toString(16)}..`,
          );
        }
        // A loadable cell's LOADABLE regions are root's to write images into: shared with root only.
        const withRoot = loading.some(
          (m) => m.phys_start <= BigInt(start) * 4096n && BigInt(end) * 4096n <= m.phys_start + m.size,
        );
        spans.push({ cell, start, end, shared: (l.flags & pte.SHARED) !== 0, withRoot });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const a = spans[i] as HostSpan;
    for (let j = i + 1; j < spans.length && (spans[j] as HostSpan).start < a.end; j++) {
      const b = spans[j] as HostSpan;
      if (b.cell === a.cell) continue;
      const at = `host frame 0x${Math.max(a.start, b.start).toString(16)}`;
      if (a.cell === root || b.cell === root) {
        const cell = a.cell === root ? b : a;
        if (!cell.shared && !cell.withRoot)
          add("root-isolation", `${at} of "${cell.cell.name}" is also mapped in the root cell`);
      } else if (!(a.shared && b.shared)) {
        add("memory-exclusive", `${at} is mapped into "${a.cell.name}" and "${b.cell.name}"`);
      }
    }
  }
}

/** A cell holds no port, pin or PCI device beyond its own configuration. */
function withinConfig(core: Core, add: Add): void {
  for (const cell of nonRootCells(core)) {
    const ports = new Set(
      cell.config.pio_regions.flatMap((r) => Array.from({ length: r.length }, (_, i) => r.base + i)),
    );
    cell.pio.forEach((bits, byte) => {
      for (let b = 0; b < 8; b++) {
        if ((bits >> b) & 1 && !ports.has(byte * 8 + b))
          add("cell-bounds", `"${cell.name}" holds I/O port 0x${(byte * 8 + b).toString(16)}`);
      }
    });
    const devices = new Set(cell.config.pci_devices.map(pciKey));
    for (const key of cell.pci) if (!devices.has(key)) add("cell-bounds", `"${cell.name}" holds PCI device ${key}`);
    const pins = new Set(
      cell.config.irqchips.flatMap((c) =>
        pinsOf(c.pin_base, c.pin_bitmap).map((p) => `0x${c.address.toString(16)}:${p}`),
      ),
    );
    for (const [chip, held] of cell.pins)
      for (const pin of held)
        if (!pins.has(`${chip}:${pin}`)) add("cell-bounds", `"${cell.name}" holds pin ${pin} of ${chip}`);
  }
}

/** [start, end) without the single frame `hole`. */
function excluding(start: number, end: number, hole: number | undefined): [number, number][] {
  if (hole === undefined || hole < start || hole >= end) return [[start, end]];
  return [
    [start, hole],
    [hole + 1, end],
  ].filter(([a, b]) => (a as number) < (b as number)) as [number, number][];
}

/** Root holds nothing beyond its configuration at enable. */
function rootGains(core: Core, add: Add): void {
  const root = rootCell(core);
  const regions = root.config.memory_regions.filter((m) => !isSubpage(m));
  // Raw leaves: each lies within the one region whose mapping made it (merged runs may span two).
  for (const l of walkTables(core.s, core.arch.paging, root.pageTable).leaves) {
    const start = BigInt(l.frame) * 4096n;
    const end = start + BigInt(l.count) * 4096n;
    const inside = regions.some((m) => m.phys_start <= start && end <= m.phys_start + ((m.size + 4095n) & ~4095n));
    if (!inside) add("root-gains", `root maps host 0x${start.toString(16)} that its configuration does not have`);
  }
  const devices = new Set(root.config.pci_devices.map(pciKey));
  for (const key of root.pci) if (!devices.has(key)) add("root-gains", `root holds PCI device ${key} it never had`);
  for (const cpu of root.cpus)
    if (!root.config.cpus.includes(cpu)) add("root-gains", `root holds CPU ${cpu} it never had`);
  const pins = new Set(
    root.config.irqchips.flatMap((c) =>
      pinsOf(c.pin_base, c.pin_bitmap).map((p) => `0x${c.address.toString(16)}:${p}`),
    ),
  );
  for (const [chip, held] of root.pins) {
    for (const pin of held)
      if (!pins.has(`${chip}:${pin}`)) add("root-gains", `root holds pin ${pin} of ${chip} it never had`);
  }
  const ports = new Set(root.config.pio_regions.flatMap((r) => Array.from({ length: r.length }, (_, i) => r.base + i)));
  root.pio.forEach((bits, byte) => {
    for (let b = 0; b < 8; b++) {
      if ((bits >> b) & 1 && !ports.has(byte * 8 + b))
        add("root-gains", `root holds I/O port 0x${(byte * 8 + b).toString(16)} it never had`);
    }
  });
}

/** Every allocated pool frame is referenced exactly once, and nothing references a free frame. */
function pool(core: Core, add: Add): void {
  const refs = new Map<number, number>();
  const ref = (f: number) => refs.set(f, (refs.get(f) ?? 0) + 1);
  for (const cell of core.s.cells) {
    cell.dataFrames.forEach(ref);
    cell.extraFrames.forEach(ref);
    for (const table of tableFrames(core, cell.pageTable)) ref(table);
  }
  for (const link of core.s.ivshmem) ref(link.frame);
  core.s.poolUsed.forEach((used, i) => {
    const frame = core.s.poolBase + i;
    const n = refs.get(frame) ?? 0;
    if (used && n === 0) add("pool-balance", `pool frame 0x${frame.toString(16)} is allocated but unreferenced (leak)`);
    if (!used && n > 0) add("pool-balance", `pool frame 0x${frame.toString(16)} is free but in use`);
    if (n > 1) add("pool-balance", `pool frame 0x${frame.toString(16)} is referenced ${n} times`);
  });
}

function tableFrames(core: Core, root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const r of core.s.tables.get(out[i] as number) ?? []) if (r.kind === "table") out.push(r.table);
  }
  return out;
}

/** Physical PCI devices, interrupt pins and I/O ports belong to at most one cell. */
function exclusive(core: Core, add: Add): void {
  const seen = new Map<string, string>();
  const claim = (kind: string, key: string, cell: CellState) => {
    const prior = seen.get(`${kind} ${key}`);
    if (prior !== undefined && prior !== cell.name)
      add(`${kind}-exclusive`, `${kind} ${key} is held by "${prior}" and "${cell.name}"`);
    seen.set(`${kind} ${key}`, cell.name);
  };
  for (const cell of core.s.cells) {
    const endpoints = new Set(cell.config.pci_devices.filter((d) => d.type === pciTypes.IVSHMEM).map(pciKey));
    for (const key of cell.pci) if (!endpoints.has(key)) claim("device", key, cell);
    for (const [chip, pins] of cell.pins) for (const pin of pins) claim("pin", `${chip}:${pin}`, cell);
    for (let byte = 0; byte < cell.pio.length; byte++) {
      const bits = cell.pio[byte] as number;
      if (bits)
        for (let b = 0; b < 8; b++) if ((bits >> b) & 1) claim("port", `0x${(byte * 8 + b).toString(16)}`, cell);
    }
  }
  for (const cell of nonRootCells(core)) {
    for (const key of cell.pci) {
      const ctx = core.s.iommuContext.get(key);
      if (ctx !== undefined && ctx !== cell.id && core.s.cells.some((c) => c.id === ctx && c.pci.has(key))) {
        add("device-exclusive", `IOMMU context of ${key} points at cell ${ctx}, not "${cell.name}" which holds it`);
      }
    }
  }
}
