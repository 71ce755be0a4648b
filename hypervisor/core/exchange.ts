/**
 * The comm-region message exchange (semantics.md §3.3) as a resumable step machine: each `yield`
 * is one poll of the hypervisor's loop, so cells can act between polls. The driver answers each
 * yield with `idle = true` when no cell will act any more; a configured timeout then expires at
 * once instead of being counted down poll by poll.
 */
import { cellFlags } from "../config/flags.js";
import { cellStateCodes, messages, replies } from "./abi.js";
import { readComm, writeComm } from "./commRegion.js";
import { type Core, nonRootCells, suspendCell } from "./context.js";
import type { CellState } from "./state.js";

export type Wait =
  | {
      readonly kind: "exchange";
      readonly cell: string;
      readonly message: "SHUTDOWN_REQUEST" | "RECONFIG_COMPLETED";
      /** Polls left before the timeout fires; null when `msg_reply_timeout` is 0 (wait forever). */
      readonly pollsLeft: bigint | null;
    }
  | { readonly kind: "barrier"; readonly waitingFor: readonly number[] };

/** A management operation in progress: yields waits, receives `idle`, returns its result. */
export type Operation = Generator<Wait, number, boolean>;

export function isPassive(cell: CellState): boolean {
  return (cell.config.flags & cellFlags.PASSIVE_COMMREG) !== 0;
}

/** `cell_exchange_message`: true when the cell accepted (or could not object), false on any other reply. */
export function* exchange(
  core: Core,
  cell: CellState,
  message: "SHUTDOWN_REQUEST" | "RECONFIG_COMPLETED",
): Generator<Wait, boolean, boolean> {
  if (isPassive(cell)) return true;
  // Clear the reply before posting, so a reply to an earlier message is never read as this one's.
  writeComm(core, cell, "replyFromCell", replies.NONE);
  writeComm(core, cell, "msgToCell", messages[message]);
  const timeout = cell.config.msg_reply_timeout;
  const accept = message === "SHUTDOWN_REQUEST" ? replies.REQUEST_APPROVED : replies.RECEIVED;
  let budget = timeout;
  for (;;) {
    const state = readComm(core, cell, "cellState");
    if (state === cellStateCodes.SHUT_DOWN || state === cellStateCodes.FAILED) return true;
    const reply = readComm(core, cell, "replyFromCell");
    if (reply === accept) return true;
    if (reply !== replies.NONE) return false;
    if (timeout > 0n) {
      budget--;
      if (budget === 0n) {
        suspendCell(core, cell);
        writeComm(core, cell, "cellState", cellStateCodes.FAILED);
        return true;
      }
    }
    const idle = yield { kind: "exchange", cell: cell.name, message, pollsLeft: timeout > 0n ? budget : null };
    if (idle && timeout > 0n) budget = 1n;
  }
}

/** `cell_reconfig_completed`: inform every non-root cell in list order; results are ignored, but each blocks. */
export function* broadcastReconfigCompleted(core: Core): Generator<Wait, void, boolean> {
  for (const cell of nonRootCells(core)) yield* exchange(core, cell, "RECONFIG_COMPLETED");
}

/** `cell_reconfig_ok`: no non-root cell other than `excluded` is RUNNING_LOCKED. */
export function reconfigOk(core: Core, excluded: CellState | undefined): boolean {
  return nonRootCells(core).every(
    (c) => c === excluded || readComm(core, c, "cellState") !== cellStateCodes.RUNNING_LOCKED,
  );
}
