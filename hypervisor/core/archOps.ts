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
  /**
   * A VMX instruction the cell's CPU executes on behalf of a hypervisor inside the cell (KVM):
   * VMfail is `ignored` with the reason, a refused operation that ends the CPU `fatal`.
   * Architectures without VMX answer `ignored` ("not supported").
   */
  vmx(core: Core, cell: CellState, cpu: number, instruction: VmxInstruction): GuestOutcome;
  /**
   * A guest write to a page the cell's tables map without write permission: the architecture
   * handles it when it write-protected the page itself (nested EPT tracking); undefined means a
   * plain violation.
   */
  writeFault?(
    core: Core,
    cell: CellState,
    cpu: number,
    addr: bigint,
    width: number,
    value: bigint,
  ): GuestOutcome | undefined;
  /** Memory left `cell` (another cell's create took it from root): what relied on it is re-checked. */
  memoryShrunk?(core: Core, cell: CellState): void;
}

/** The VMX instructions a cell's CPU may execute (nested VMX, a Warden extension). */
export type VmxInstruction =
  | { readonly op: "vmptrld" | "vmclear"; readonly address: bigint }
  | { readonly op: "vmread"; readonly field: number }
  | { readonly op: "vmwrite"; readonly field: number; readonly value: bigint }
  | { readonly op: "vmlaunch" | "vmresume" }
  /** The nested guest on this CPU exits to the cell's hypervisor (a VM exit it handles). */
  | { readonly op: "exit" }
  | { readonly op: "invept"; readonly eptp: bigint };

export interface ArchUnit {
  readonly name: string;
  cellInit(core: Core, cell: CellState): void;
  cellExit(core: Core, cell: CellState): void;
}
