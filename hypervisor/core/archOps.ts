/**
 * What the core needs from an architecture. `hypervisor/arch/` implements it for x86 and arm64;
 * the core never asks which architecture it runs on.
 */
import type { Core } from "./context.js";
import type { Paging } from "./pageTable.js";
import type { CellState } from "./state.js";

/** Outcome of a guest action the architecture handles. */
export type GuestOutcome =
  | { readonly kind: "ok"; readonly value?: bigint }
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "fatal"; readonly reason: string };

export interface ArchOps {
  readonly name: string;
  readonly paging: Paging;
  /** Statistics counter names; index = counter number (the generic four come first). */
  readonly statNames: readonly string[];
  /** `arch_cell_create`: per-cell structures beyond the page tables (x86: I/O bitmap, PIO transfer). */
  cellCreate(core: Core, cell: CellState): void;
  /** `arch_cell_destroy`: undo `cellCreate`, refunding what root originally had. */
  cellDestroy(core: Core, cell: CellState): void;
  /** Units in link order after PCI: interrupt controller, then IOMMU / stream IDs. Each init is all-or-nothing. */
  readonly units: readonly ArchUnit[];
  /** `arch_cell_reset`: mask the cell's interrupts before its CPUs restart. */
  cellReset(core: Core, cell: CellState): void;
  /** Which CPUs run after a reset (x86: all; ARM: the first, the others wait for PSCI CPU_ON). */
  resetCpus(core: Core, cell: CellState): void;
  /** Bytes 64.. of the comm region (the platform block). */
  commPlatform(core: Core, cell: CellState): Uint8Array;
  /** Resource conflicts strict mode refuses (-EBUSY): does `cell` claim something another non-root cell owns? */
  conflicts(core: Core, cell: CellState): string | undefined;
  /** Guest actions that trap into the architecture code. */
  emulatedMmio(core: Core, cell: CellState, addr: bigint, write: boolean): GuestOutcome | undefined;
  pio(core: Core, cell: CellState, cpu: number, port: number, width: number, write: boolean): GuestOutcome;
  ipi(core: Core, cell: CellState, cpu: number, target: number): GuestOutcome;
  routeIrq(core: Core, cell: CellState, cpu: number, pin: number, target: number): GuestOutcome;
  cpuOn(core: Core, cell: CellState, cpu: number, target: number): GuestOutcome;
  systemReset(core: Core, cell: CellState, cpu: number): GuestOutcome;
}

export interface ArchUnit {
  readonly name: string;
  cellInit(core: Core, cell: CellState): void;
  cellExit(core: Core, cell: CellState): void;
}
