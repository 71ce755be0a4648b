/**
 * What nested VMX (KVM in a cell, a Warden design after the seed "Static System Partitioning and
 * KVM") keeps per hypervisor: each cell's VMCSs as the hypervisor holds them (a shadow: KVM's
 * VMCS region is only named, never read), each CPU's current VMCS and nested guest, the EPTs
 * the hypervisor has walked with the table pages it tracks, and the pages it write-protected
 * in the cell's second-stage tables. Kept beside the core's state, keyed by it, so the core
 * stays architecture-blind (as pageTable.ts keeps its walk caches).
 */
import type { CellState, Core, HypervisorState } from "../../core/index.js";

/** An EPT the hypervisor has walked, keyed by its root table's guest-physical address. */
export interface KnownEpt {
  valid: boolean;
  /** Its table pages (guest-physical) with the level each is used at (4: the root). */
  readonly tables: Map<bigint, number>;
}

export interface VmcsShadow {
  readonly fields: Map<number, bigint>;
  launched: boolean;
}

export interface VmxCell {
  /** VMCS regions KVM loaded, by guest-physical address. */
  readonly vmcs: Map<bigint, VmcsShadow>;
  readonly epts: Map<bigint, KnownEpt>;
  /** Write-protected guest frames with the flags the cell's tables had before. */
  readonly protectedPages: Map<number, number>;
}

export interface VmxCpu {
  /** The cell the CPU belonged to when this was set up: a CPU that moves to another cell starts afresh. */
  readonly cell: number;
  current?: bigint | undefined;
  /** Root address of the EPT the CPU's nested guest runs on, while it runs. */
  running?: bigint | undefined;
  /** Why the nested guest last left (exit, kick). */
  lastExit?: string;
}

export interface VmxState {
  readonly cells: Map<number, VmxCell>;
  readonly cpus: Map<number, VmxCpu>;
}

const states = new WeakMap<HypervisorState, VmxState>();

export function vmxOf(core: Core): VmxState {
  let s = states.get(core.s);
  if (!s) {
    s = { cells: new Map(), cpus: new Map() };
    states.set(core.s, s);
  }
  return s;
}

export function vmxCell(core: Core, cell: CellState): VmxCell {
  const all = vmxOf(core).cells;
  let c = all.get(cell.id);
  if (!c) {
    c = { vmcs: new Map(), epts: new Map(), protectedPages: new Map() };
    all.set(cell.id, c);
  }
  return c;
}

export function vmxCpu(core: Core, cpu: number): VmxCpu {
  const all = vmxOf(core).cpus;
  const cell = core.s.cpus.get(cpu)?.cell ?? -1;
  let c = all.get(cpu);
  if (!c || c.cell !== cell) {
    c = { cell };
    all.set(cpu, c);
  }
  return c;
}

/** The known EPTs that use `page` (guest-physical, page-aligned) as a table. */
export function trackers(vc: VmxCell, page: bigint): bigint[] {
  return [...vc.epts].filter(([, e]) => e.tables.has(page)).map(([root]) => root);
}
