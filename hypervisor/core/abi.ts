/**
 * Jailhouse's management ABI as numbers (semantics.md §1.1–§1.3, §3.1–§3.2): errno values, hypercall
 * codes, cell and CPU states, info types and the comm-region message codes. Cells see these exact
 * values, so they are the ABI, not an implementation choice.
 */

/** Errno values the hypervisor returns, negated (hypervisor/include/jailhouse/entry.h). */
export const errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  E2BIG: 7,
  ENOMEM: 12,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ERANGE: 34,
  ENOSYS: 38,
} as const;
export type ErrnoName = keyof typeof errno;

/** `-EPERM` for -1 and so on; non-negative results print as numbers. */
export function resultName(result: number): string {
  if (result >= 0) return String(result);
  const name = (Object.keys(errno) as ErrnoName[]).find((k) => errno[k] === -result);
  return name ? `-${name}` : String(result);
}

/** Thrown inside the core to unwind with a negative errno, as upstream's `goto err_*` chains do. */
export class HypervisorError extends Error {
  readonly errno: ErrnoName;
  constructor(errno: ErrnoName) {
    // An expected refusal, caught by the hypercall entry: no stack trace to capture (the costly part of an Error).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`-${errno}`);
    Error.stackTraceLimit = limit;
    this.errno = errno;
  }
  get result(): number {
    return -errno[this.errno];
  }
}

export const hypercallCodes = {
  DISABLE: 0,
  CELL_CREATE: 1,
  CELL_START: 2,
  CELL_SET_LOADABLE: 3,
  CELL_DESTROY: 4,
  HYPERVISOR_GET_INFO: 5,
  CELL_GET_STATE: 6,
  CPU_GET_INFO: 7,
  DEBUG_CONSOLE_PUTC: 8,
} as const;

export function hypercallName(code: number): string {
  const name = (Object.keys(hypercallCodes) as (keyof typeof hypercallCodes)[]).find((k) => hypercallCodes[k] === code);
  return name ?? `hypercall ${code}`;
}

/** Comm-region `cell_state` values. */
export const cellStateCodes = {
  RUNNING: 0,
  RUNNING_LOCKED: 1,
  SHUT_DOWN: 2,
  FAILED: 3,
  FAILED_COMM_REV: 4,
} as const;
export type CellStateName = keyof typeof cellStateCodes;

export function cellStateName(code: number): string {
  const name = (Object.keys(cellStateCodes) as CellStateName[]).find((k) => cellStateCodes[k] === code);
  return name ?? `0x${(code >>> 0).toString(16)}`;
}

/** CPU_GET_INFO type 0 values: derived only from the per-CPU `failed` flag. */
export const cpuStateCodes = { RUNNING: 0, FAILED: 2 } as const;

/** HYPERVISOR_GET_INFO types. */
export const infoTypes = {
  MEM_POOL_SIZE: 0,
  MEM_POOL_USED: 1,
  REMAP_POOL_SIZE: 2,
  REMAP_POOL_USED: 3,
  NUM_CELLS: 4,
} as const;

/** CPU_GET_INFO: type 1000 + n reads statistics counter n. */
export const CPU_INFO_STAT_BASE = 1000;

/** Comm-region message codes (`msg_to_cell`) and replies (`reply_from_cell`). */
export const messages = { NONE: 0, SHUTDOWN_REQUEST: 1, RECONFIG_COMPLETED: 2 } as const;
export const replies = { NONE: 0, UNKNOWN: 1, REQUEST_DENIED: 2, REQUEST_APPROVED: 3, RECEIVED: 4 } as const;

/** Upstream maps at most this many pages of a cell configuration (64 KiB) during CELL_CREATE. */
export const NUM_TEMPORARY_PAGES = 16;
export const PAGE_SIZE = 4096;
/** Generic statistics counters: total exits, MMIO, management, hypercall. */
export const stats = { TOTAL: 0, MMIO: 1, MANAGEMENT: 2, HYPERCALL: 3 } as const;
/** Their names; each architecture appends its own. */
export const genericStatNames = ["vmexits_total", "vmexits_mmio", "vmexits_management", "vmexits_hypercall"] as const;
