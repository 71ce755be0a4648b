/**
 * What `warden explore vote` crosses: protocol variants (each changes one thing about upstream's
 * exchange), fault models (what the voting cells may do wrong) and the properties of semantics
 * §3.5–3.6 by the names the ManagementVote model gives them.
 */
import {
  type ConfigFacts,
  cappedPolls,
  type Model,
  type VoteFaults,
  type VoteParams,
  type VoteProtocol,
} from "../../models/index.js";

/**
 * A protocol variant. Built-in variants set `protocol` (and perhaps `timeouts`); a variant of your
 * own (`--variant FILE`) may instead `build` a whole model on the kernel, defining the explorer's
 * property names (see {@link voteProperties}) as invariants or temporal properties.
 */
export interface VoteVariant {
  readonly name: string;
  readonly summary: string;
  readonly protocol?: VoteProtocol;
  /** Replaces every voter's reply timeout by this many polls. */
  readonly voterTimeout?: "explorer";
  readonly build?: (params: VoteParams) => Model;
}

/** The system the variants run on: cells in list order, which of them vote, their reply timeouts. */
export interface VoteSystem {
  readonly cells: readonly string[];
  readonly voters: readonly string[];
  readonly timeout: Readonly<Record<string, number>>;
}

/** The vote system of a configuration set: list order, non-passive cells vote, timeouts capped in polls. */
export function voteSystemOf(facts: ConfigFacts): VoteSystem {
  return {
    cells: facts.cells.map((c) => c.name),
    voters: facts.cells.filter((c) => !c.passive).map((c) => c.name),
    timeout: Object.fromEntries(facts.cells.map((c) => [c.name, cappedPolls(c.replyTimeout)])),
  };
}

export function builtinVariants(system: VoteSystem, quorumK: number): VoteVariant[] {
  const all = system.voters.length;
  return [
    { name: "upstream", summary: "Jailhouse as it is (semantics §3)" },
    {
      name: "timeout",
      summary: "every voting cell has a non-zero reply timeout",
      voterTimeout: "explorer",
    },
    {
      name: "comm-rev-terminal",
      summary: "FAILED_COMM_REV approves like SHUT_DOWN and FAILED",
      protocol: { commRevTerminal: true },
    },
    {
      name: "broadcast-no-wait",
      summary: "RECONFIG_COMPLETED is posted to all cells and not waited for",
      protocol: { broadcastNoWait: true },
    },
    {
      name: "lock-at-commit",
      summary: "the lock is re-checked when the reconfiguration commits",
      protocol: { lockAtCommit: true },
    },
    {
      name: "lock-fence",
      summary: "no cell may newly lock while a management call is in progress (Warden's design)",
      protocol: { lockFence: true },
    },
    {
      name: "quorum-all",
      summary: `create and destroy need every voting cell's approval (${all} of ${all})`,
      protocol: { quorum: { safety: system.voters, k: all } },
    },
    ...(quorumK < all
      ? [
          {
            name: `quorum-${quorumK}-of-${all}`,
            summary: `create and destroy need ${quorumK} of the ${all} voting cells not to deny`,
            protocol: { quorum: { safety: system.voters, k: quorumK } },
          },
        ]
      : []),
  ];
}

export interface FaultModel {
  readonly name: string;
  readonly summary: string;
  readonly faults: VoteFaults;
  /** The voting cells may never answer. */
  readonly silent?: boolean;
}

export const faultModels: readonly FaultModel[] = [
  { name: "none", summary: "well-behaved cells: they answer, lock only between calls, shut down cleanly", faults: {} },
  { name: "silent", summary: "a voting cell may never answer", faults: {}, silent: true },
  {
    name: "crash",
    summary: "a cell crashes or halts in FAILED_COMM_REV, also in the middle of a vote",
    faults: { crash: true },
  },
  { name: "late-reply", summary: "a cell writes a reply meant for an earlier message", faults: { lateReply: true } },
  {
    name: "lock-race",
    summary: "a cell locks or unlocks while a call is in progress (around the lock check)",
    faults: { lockDuringCall: true },
  },
  {
    name: "always-deny",
    summary: "a voting cell denies every request and never shuts down",
    faults: { alwaysDeny: true },
  },
];

/** The explorer's columns: a short name, the model's property, and what it means. */
export const voteProperties: readonly { readonly name: string; readonly model: string; readonly doc: string }[] = [
  {
    name: "consent",
    model: "ConsentBeforeStop",
    doc: "a running voter is stopped only after approval, a declaration or a timeout (S1)",
  },
  { name: "veto", model: "VetoChangesNothing", doc: "a refused call changes nothing (S2)" },
  {
    name: "lock-check",
    model: "LockCheckRefuses",
    doc: "create/destroy fail while a cell is locked at the check (S3)",
  },
  { name: "lock", model: "LockHeldAtCommit", doc: "no other cell is locked when a reconfiguration commits (L7)" },
  { name: "exclusion", model: "RootSuspendedDuringCall", doc: "the other root CPUs are suspended during a call (S4)" },
  { name: "channel", model: "ChannelDiscipline", doc: "the hypervisor reads only replies to its last message (S7)" },
  { name: "passive", model: "PassiveNeverAsked", doc: "passive cells are never written to (S9)" },
  { name: "no-freeze", model: "CallsReturn", doc: "every management call returns (L1, L3, L4)" },
  { name: "exchange-ends", model: "ExchangeEnds", doc: "every exchange with a cell ends (L2)" },
  {
    name: "no-starvation",
    model: "NoStarvation",
    doc: "a voter the root keeps trying to destroy is eventually destroyed (L5)",
  },
];
