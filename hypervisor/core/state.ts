/**
 * Everything the hypervisor holds, as plain data (Maps, Sets, typed arrays) so a test can deep-copy
 * it with `structuredClone` and compare it after a failed hypercall. Behaviour lives elsewhere.
 */
import type { CellConfig, SystemConfig } from "../config/types.js";
import type { VirtioIrqState } from "../virtio/virtioIrqState.js";

/** One page-table entry: a pointer to the next-level table, or a leaf mapping `pages` host frames. */
export type PageTableEntry =
  | { readonly kind: "table"; readonly table: number }
  | { readonly kind: "leaf"; readonly frame: number; readonly flags: number };

/**
 * Consecutive entries of one table from `index`: `count` leaves mapping consecutive blocks of the
 * level's size from `frame`, or one pointer to a next-level table. A table of 512 4 KiB leaves is
 * one run, not 512 entries (what makes creating a cell with 16,384 small pages cheap).
 */
export type PageTableRun =
  | { readonly kind: "table"; readonly index: number; readonly count: 1; readonly table: number }
  | {
      readonly kind: "leaf";
      readonly index: number;
      readonly count: number;
      readonly frame: number;
      readonly flags: number;
    };

/** Per-CPU state (semantics.md §1.7). */
export interface CpuState {
  /** Id of the owning cell. */
  cell: number;
  failed: boolean;
  /** `running` in the guest; `parked` waiting for a reset (x86 SIPI / ARM parking); `off` waiting for PSCI CPU_ON. */
  mode: "running" | "parked" | "off";
  /** Spinning in the hypervisor on a suspend request. */
  suspended: boolean;
  /** Statistics counters (generic four plus the architecture's). */
  stats: number[];
  /** Interrupts (IPIs / SGIs) delivered to this CPU's guest: an observation for conformance, not upstream state. */
  interrupts: number;
}

/** A sub-page region in a cell's MMIO dispatch table (addresses are guest-physical). */
export interface SubpageRegion {
  readonly start: bigint;
  readonly size: bigint;
  readonly phys: bigint;
  readonly flags: bigint;
}

export interface CellState {
  readonly id: number;
  readonly name: string;
  readonly config: CellConfig;
  cpus: Set<number>;
  loadable: boolean;
  /** Pool frame of the top-level second-stage table. */
  pageTable: number;
  /** Pool frames this cell's structure occupies (comm page first); empty for the root cell. */
  dataFrames: number[];
  /** Extra pool frames (CPU-set page, MMIO table, I/O bitmap, ...), released at destroy. */
  extraFrames: number[];
  mmio: SubpageRegion[];
  /** PCI devices as `domain:bdf` keys (physical devices and ivshmem endpoints alike). */
  pci: Set<string>;
  /** Interrupt pins per interrupt controller (key: controller MMIO address in hex). */
  pins: Map<string, Set<number>>;
  /** x86: the permitted I/O ports, one bit per port. */
  pio: Uint8Array;
  /** Stream IDs (ARM SMMU) this cell's configuration names, as raw u32. */
  streams: Set<number>;
}

/** One entry of an ivshmem link: which cell holds each of the 12 endpoint slots. */
export interface IvshmemLink {
  readonly bdf: number;
  /** Pool frame of the link structure. */
  readonly frame: number;
  slots: (number | null)[];
}

/** An ARM MMU-500 stream match register: matches ids equal to `id` in the bits `mask` does not ignore. */
export interface StreamMatch {
  id: number;
  mask: number;
  cell: number;
}

export interface HypervisorState {
  readonly system: SystemConfig;
  /** First frame and frame count of the page pool inside `hypervisor_memory`. */
  readonly poolBase: number;
  /** One byte per pool frame: 1 = allocated. */
  poolUsed: Uint8Array;
  /**
   * Page tables by pool frame: the entries as runs in index order, maximal (no leaf run continues
   * the one before it), so two tables with equal entries have equal runs.
   */
  tables: Map<number, PageTableRun[]>;
  /** Bytes written to physical memory, by frame (unwritten frames read as zero). */
  memory: Map<number, Uint8Array>;
  cpus: Map<number, CpuState>;
  /** Cells in list order; the root cell first. */
  cells: CellState[];
  ivshmem: IvshmemLink[];
  /** x86 IOAPIC redirection targets / ARM SPI routing: `chip:pin` → CPU. */
  irqRoutes: Map<string, number>;
  /** ARM MMU-500 stream match registers. */
  streamMatches: (StreamMatch | null)[];
  /** Which cell each physical PCI device's IOMMU context points at (`domain:bdf` → cell id). */
  iommuContext: Map<string, number>;
  /** Characters written through DEBUG_CONSOLE_PUTC. */
  console: string;
  /** Set once DISABLE completed: the hypervisor is gone. */
  disabled: boolean;
  /** DISABLE bookkeeping: each root CPU's shutdown state (absent = none, 1 = started, <0 = errno). */
  shutdownState: Map<number, number>;
  /** CPUs that have reached DISABLE's barrier. */
  disableArrived: Set<number>;
  /** The virtio-mmio interrupt unit (Warden extension), once a cell with `warden_virtio` devices exists. */
  virtio?: VirtioIrqState;
}
