/**
 * The ways a cell enters the hypervisor, with the configuration under which it can: the table
 * `warden audit surface` walks (the hypercall handlers themselves are read from `Hypervisor`'s
 * dispatch switch). Architectures add their traps in `arch/entryPoints.ts`.
 */
import type { cellFlags } from "../config/flags.js";
import type { CellConfig, SystemConfig } from "../config/types.js";
import type { hypercallCodes } from "./abi.js";
import { requireRootCaller } from "./context.js";
import { guestAccess, guestIpi, guestRouteIrq, guestSystemReset } from "./guest.js";
import { Hypervisor } from "./hypervisor.js";
import { virtioRead, virtioWrite } from "./virtioUnit.js";

/** What decides whether a cell reaches an entry point. */
export interface EntryContext {
  readonly system: SystemConfig;
  readonly cell: CellConfig;
  readonly root: boolean;
}

/** One entry point: the function a trap or call lands in, the file defining it (under `hypervisor/`), and when a cell reaches it. */
export interface EntryPoint {
  readonly kind: "hypercall" | "mmio" | "pio" | "exit";
  readonly name: string;
  // biome-ignore lint/complexity/noBannedTypes: only the function's name is used, to find it in the syntax tree
  readonly handler: Function;
  readonly file: string;
  readonly reaches: (c: EntryContext) => boolean;
}

/**
 * Who may complete each hypercall (any cell may issue every code): `root` calls refuse other
 * callers in their first check, `requireRootCaller`; a flag name means the cell needs that flag.
 */
export const hypercallAccess: Readonly<Record<keyof typeof hypercallCodes, "root" | "any" | keyof typeof cellFlags>> = {
  DISABLE: "root",
  CELL_CREATE: "root",
  CELL_START: "root",
  CELL_SET_LOADABLE: "root",
  CELL_DESTROY: "root",
  HYPERVISOR_GET_INFO: "any",
  CELL_GET_STATE: "root",
  CPU_GET_INFO: "any",
  DEBUG_CONSOLE_PUTC: "VIRTUAL_CONSOLE_PERMITTED",
};

/** Where a refused root-only hypercall stops. */
export const rootOnlyRefusal = { handler: requireRootCaller, file: "core/context.ts" } as const;

const always = () => true;

/** Entry points of the architecture-independent core. */
export const coreEntryPoints: readonly EntryPoint[] = [
  {
    kind: "hypercall",
    name: "hypercall entry",
    handler: Hypervisor.prototype.hypercall,
    file: "core/hypervisor.ts",
    reaches: always,
  },
  { kind: "mmio", name: "memory access trap", handler: guestAccess, file: "core/guest.ts", reaches: always },
  { kind: "exit", name: "IPI", handler: guestIpi, file: "core/guest.ts", reaches: always },
  { kind: "exit", name: "interrupt routing", handler: guestRouteIrq, file: "core/guest.ts", reaches: always },
  { kind: "exit", name: "system reset", handler: guestSystemReset, file: "core/guest.ts", reaches: always },
  {
    kind: "mmio",
    name: "virtio-mmio MSI registers (write)",
    handler: virtioWrite,
    file: "core/virtioUnit.ts",
    reaches: ({ cell }) => (cell.warden_virtio?.length ?? 0) > 0,
  },
  {
    kind: "mmio",
    name: "virtio-mmio MSI registers (read)",
    handler: virtioRead,
    file: "core/virtioUnit.ts",
    reaches: ({ cell }) => (cell.warden_virtio?.length ?? 0) > 0,
  },
];
