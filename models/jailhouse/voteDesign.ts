/**
 * The ways a management-vote protocol may differ from upstream's, and the ways cells may
 * misbehave. `managementVote` builds one model from a protocol and a set of faults; the vote
 * explorer (`warden explore vote`) crosses them. Every field defaults to upstream / well-behaved.
 */

/** A protocol design: each field changes one thing about upstream's exchange (semantics §3.3). */
export interface VoteProtocol {
  /** FAILED_COMM_REV auto-approves like SHUT_DOWN and FAILED (the documentation calls it terminal). */
  readonly commRevTerminal?: boolean;
  /** RECONFIG_COMPLETED is posted to every cell at once and the call returns without polling. */
  readonly broadcastNoWait?: boolean;
  /** The lock is re-checked when a destroy commits: a cell locked by then still refuses it. */
  readonly lockAtCommit?: boolean;
  /** While a management call is in progress a cell's write of RUNNING_LOCKED is refused. */
  readonly lockFence?: boolean;
  /** Create and destroy also need the approval of at least `k` of these safety cells, asked in list order. */
  readonly quorum?: { readonly safety: readonly string[]; readonly k: number };
}

/** Misbehaviours the cells may show; the well-behaved baseline has none. */
export interface VoteFaults {
  /** A cell may crash (FAILED) or halt in FAILED_COMM_REV at any moment, also in the middle of a vote. */
  readonly crash?: boolean;
  /** A cell may write a reply meant for an earlier message, at any moment, without clearing the message. */
  readonly lateReply?: boolean;
  /** A cell may lock or unlock while a management call is in progress (around the lock check). */
  readonly lockDuringCall?: boolean;
  /** A cell answers every request with DENIED and never declares itself shut down. */
  readonly alwaysDeny?: boolean;
}

/** The faults of the registry's ManagementVote: cells crash and lock whenever they like (upstream's reality). */
export const upstreamFaults: VoteFaults = { crash: true, lockDuringCall: true };
