/**
 * A cell's side of the comm-region protocol (semantics.md §3.4), as a bare-metal inmate would run
 * it: poll `msg_to_cell`, clear it, then answer according to a policy; and write `cell_state` to
 * lock, unlock, shut down or fail. Everything goes through the guest interface, on one of the
 * cell's running CPUs, so a cell without a running CPU or without a writable comm region cannot act.
 */

import { memFlags } from "../config/flags.js";
import { cellStateCodes, messages, replies } from "../core/abi.js";
import { type CellState, type Core, commOffsets, cpuState, type GuestOutcome, guestAccess } from "../core/index.js";

/** How the cell answers SHUTDOWN_REQUEST and RECONFIG_COMPLETED; `silent` never clears or answers. */
export interface AgentPolicy {
  readonly request: "approve" | "deny" | "unknown" | "silent";
  readonly info: "received" | "unknown" | "silent";
}

export const cooperative: AgentPolicy = { request: "approve", info: "received" };

/** The CPU the cell's code runs on: its first CPU that executes guest code. */
export function runningCpu(core: Core, cell: CellState): number | undefined {
  return [...cell.cpus]
    .sort((a, b) => a - b)
    .find((c) => {
      const s = cpuState(core, c);
      return s.mode === "running" && !s.suspended && !s.failed;
    });
}

function commBase(cell: CellState): bigint | undefined {
  return cell.config.memory_regions.find((m) => (m.flags & memFlags.COMM_REGION) !== 0n)?.virt_start;
}

/** One poll of the cell's message loop. Returns what it did, or undefined if it did nothing. */
export function agentStep(core: Core, cell: CellState, policy: AgentPolicy): GuestOutcome | undefined {
  const cpu = runningCpu(core, cell);
  const base = commBase(cell);
  if (cpu === undefined || base === undefined) return undefined;
  const read = guestAccess(core, cpu, base + BigInt(commOffsets.msgToCell), 4, false);
  if (read.kind !== "ok" || !read.value) return read.kind === "ok" ? undefined : read;
  const message = Number(read.value);
  const answer =
    message === messages.SHUTDOWN_REQUEST
      ? {
          approve: replies.REQUEST_APPROVED,
          deny: replies.REQUEST_DENIED,
          unknown: replies.UNKNOWN,
          silent: undefined,
        }[policy.request]
      : message === messages.RECONFIG_COMPLETED
        ? { received: replies.RECEIVED, unknown: replies.UNKNOWN, silent: undefined }[policy.info]
        : replies.UNKNOWN;
  if (answer === undefined) return undefined;
  // Clear the message before replying, so the hypervisor never sees a reply to a message still posted.
  const cleared = guestAccess(core, cpu, base + BigInt(commOffsets.msgToCell), 4, true, 0n);
  if (cleared.kind === "fatal") return cleared;
  return guestAccess(core, cpu, base + BigInt(commOffsets.replyFromCell), 4, true, BigInt(answer));
}

/** The cell writes its own `cell_state` (lock = RUNNING_LOCKED, unlock = RUNNING, ...). */
export function writeOwnState(core: Core, cell: CellState, state: keyof typeof cellStateCodes): GuestOutcome {
  const cpu = runningCpu(core, cell);
  const base = commBase(cell);
  if (cpu === undefined) throw new Error(`cell "${cell.name}" has no running CPU`);
  if (base === undefined) throw new Error(`cell "${cell.name}" has no comm region`);
  return guestAccess(core, cpu, base + BigInt(commOffsets.cellState), 4, true, BigInt(cellStateCodes[state]));
}
