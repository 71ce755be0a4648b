import {
  and,
  apply,
  BOOLEAN,
  constFn,
  defineModel,
  fnSet,
  forall,
  implies,
  isIn,
  lit,
  litSet,
  type Model,
  not,
  range,
  setEnum,
  subsets,
  union,
} from "../kernel/index.js";
import { idleCaller, type VoteConsts, type VoteVars, voteActions } from "./voteActions.js";
import { upstreamFaults, type VoteFaults, type VoteProtocol } from "./voteDesign.js";

/** A cell's comm-region cell_state as the exchange reads it, plus "absent" (no such cell yet). */
const cstates = ["absent", "SD", "RUN", "LCK", "FL", "FCR"] as const;
const messages = ["NONE", "SHUTDOWN", "RECONFIG", "ASK"] as const;
const replies = ["NONE", "UNKNOWN", "DENIED", "APPROVED", "RECEIVED"] as const;
/**
 * idle; vote = polling the target's SHUTDOWN_REQUEST; bcast = choosing the next RECONFIG_COMPLETED,
 * bpoll = polling it; ask / apoll = the same for a quorum round (the quorum design only).
 */
const pcs = ["idle", "vote", "bcast", "bpoll", "ask", "apoll"] as const;
const ops = ["none", "create", "start", "set_loadable", "destroy"] as const;
/** Why a voted operation was allowed to stop its target ("none": nothing the cell said or did allows it). */
const consents = ["n/a", "approved", "declared", "timeout", "passive", "none"] as const;

export interface VoteParams {
  /** The non-root cells in the hypervisor's list order (the order of the RECONFIG_COMPLETED broadcast). */
  readonly cells: readonly string[];
  /** Cells with PASSIVE_COMMREG: never asked, nothing written to their comm region. */
  readonly passive: readonly string[];
  /** msg_reply_timeout per cell, in polls (absent or 0: wait forever). */
  readonly timeout: Readonly<Record<string, number>>;
  /** Cells that may stay silent forever (no fairness on their answers); the others answer eventually. */
  readonly silent: readonly string[];
  /** Also check the design properties upstream is known to violate (lock held at commit, semantics L7). */
  readonly design?: boolean | undefined;
  /** Must-fail twin: the hypervisor posts a message without clearing the previous reply first. */
  readonly bugStaleReply?: boolean | undefined;
  /** A protocol design other than upstream's (the vote explorer's variants). */
  readonly protocol?: VoteProtocol | undefined;
  /** What the cells may do wrong; default {@link upstreamFaults}. */
  readonly faults?: VoteFaults | undefined;
  /** Adds NoStarvation for this cell, with strong fairness of the root's destroy calls. */
  readonly victim?: string | undefined;
}

/**
 * ManagementVote: control.c's comm-region exchange (semantics.md §3.3) one hypervisor poll at a
 * time. The root calls create, start, set-loadable or destroy; the calling CPU runs the lock
 * check, the SHUTDOWN_REQUEST vote and, after a committed create or destroy, the blocking
 * RECONFIG_COMPLETED broadcast in list order, while the cells lock, unlock, answer, declare a
 * state or stay silent between any two polls.
 */
export function managementVote(p: VoteParams): Model {
  const set = (xs: readonly string[]) => ({ kind: "set" as const, elems: [...xs].sort() });
  const fn = (f: (x: string) => number) => {
    const domain = [...p.cells].sort();
    return { kind: "function" as const, domain, values: domain.map(f) };
  };
  const maxTimeout = Math.max(0, ...p.cells.map((c) => p.timeout[c] ?? 0));
  const protocol = p.protocol ?? {};
  const faults = p.faults ?? upstreamFaults;
  return defineModel<VoteVars, VoteConsts>({
    name: p.bugStaleReply ? "ManagementVoteBug" : "ManagementVote",
    doc: "Jailhouse management vote: the comm-region exchange at poll granularity against concurrently acting cells.",
    header: [
      "Models control.c's cell_exchange_message and its uses (semantics.md 3.3): the lock check, the",
      "SHUTDOWN_REQUEST vote of start / set-loadable / destroy, the RECONFIG_COMPLETED broadcast after a",
      "committed create or destroy, the reply timeout counted in polls and the suspension of the other",
      "root CPUs. Cells act between any two polls. Ghost variables (fresh, result, committed,",
      "lockedAtCheck, lockedAtCommit, consent) record what the properties S1-S4, S6, S7 and S9 of 3.5",
      "talk about. Left out: resources and the CPU partition (ResourceOwnership: S5, S10), errno",
      "paths other than the vote's (CellLifecycle), GET_STATE (S8), DISABLE (no vote since 2016),",
      "memory barriers (message and reply writes are atomic), cells that resume after declaring a",
      "terminal state.",
      p.bugStaleReply ? "MUST-FAIL TWIN: a message is posted without clearing the previous reply." : "",
    ].join("\n"),
    constants: {
      Cells: { doc: "the non-root cells", value: set(p.cells) },
      Passive: { doc: "cells with PASSIVE_COMMREG (never asked)", value: set(p.passive) },
      Silent: { doc: "cells that may never answer (no fairness on their answers)", value: set(p.silent) },
      Safety: {
        doc: "safety cells whose approval create and destroy need (quorum design)",
        value: set(protocol.quorum?.safety ?? []),
      },
      Quorum: { doc: "how many safety cells must not deny (quorum design)", value: protocol.quorum?.k ?? 0 },
      Rank: { doc: "each cell's position in the hypervisor's cell list", value: fn((c) => p.cells.indexOf(c) + 1) },
      Timeout: { doc: "msg_reply_timeout per cell in polls (0 = wait forever)", value: fn((c) => p.timeout[c] ?? 0) },
    },
    variables: ({ c }) => ({
      cstate: { doc: "each cell's comm-region cell_state, or absent", type: fnSet(c.Cells, litSet([...cstates])) },
      msg: { doc: "msg_to_cell of each comm region", type: fnSet(c.Cells, litSet([...messages])) },
      reply: { doc: "reply_from_cell of each comm region", type: fnSet(c.Cells, litSet([...replies])) },
      fresh: {
        doc: "ghost: the reply was written after the message last posted to that cell",
        type: fnSet(c.Cells, BOOLEAN),
      },
      pc: { doc: "where the calling root CPU is", type: litSet([...pcs]) },
      op: { doc: "the management call in progress", type: litSet([...ops]) },
      target: { doc: "its target cell", type: union(c.Cells, setEnum<string>("none")) },
      peer: { doc: "the cell the current exchange is with", type: union(c.Cells, setEnum<string>("none")) },
      pending: {
        doc: "cells still to receive RECONFIG_COMPLETED (or to be asked, in a quorum round)",
        type: subsets(c.Cells),
      },
      deniedBy: { doc: "safety cells that refused in the current quorum round", type: subsets(c.Cells) },
      budget: { doc: "polls left before the reply timeout fires", type: range(0, maxTimeout) },
      rootSuspended: { doc: "the other root CPUs are suspended", type: BOOLEAN },
      result: { doc: "ghost: what the last call returned", type: litSet(["none", "ok", "EPERM"]) },
      committed: { doc: "ghost: the last call changed its target", type: BOOLEAN },
      lockedAtCheck: { doc: "ghost: a cell other than the target was locked at the lock check", type: BOOLEAN },
      lockedAtCommit: {
        doc: "ghost: a cell other than the target was locked when create/destroy committed",
        type: BOOLEAN,
      },
      consent: { doc: "ghost: why the last voted call was allowed to stop its target", type: litSet([...consents]) },
    }),
    init: ({ c }) => ({
      cstate: constFn(c.Cells, lit("absent")),
      msg: constFn(c.Cells, lit("NONE")),
      reply: constFn(c.Cells, lit("NONE")),
      fresh: constFn(c.Cells, lit(false)),
      ...idleCaller(),
      result: lit("none"),
      committed: lit(false),
      lockedAtCheck: lit(false),
      lockedAtCommit: lit(false),
      consent: lit("n/a"),
    }),
    actions: (scope) => voteActions(scope, { protocol, faults, bugStaleReply: p.bugStaleReply ?? false }),
    invariants: ({ v, c }) => ({
      ConsentBeforeStop: {
        doc: "S1: a voted call stops its target only after approval, a declared SHUT_DOWN/FAILED, a timeout, or when passive",
        p: v.consent.neq("none"),
      },
      VetoChangesNothing: {
        doc: "S2/S3: a call that returned -EPERM changed nothing",
        p: implies(v.result.eq("EPERM"), not(v.committed)),
      },
      LockCheckRefuses: {
        doc: "S3: create, and destroy of another cell, fail while a cell is RUNNING_LOCKED at the check",
        p: implies(and(v.lockedAtCheck, v.pc.eq("idle")), v.result.eq("EPERM")),
      },
      RootSuspendedDuringCall: {
        doc: "S4: while a management call is in progress the other root CPUs are suspended",
        p: implies(v.pc.neq("idle"), v.rootSuspended),
      },
      RootIsNeverATarget: {
        doc: "S6: every call targets a non-root cell of the configuration (or none)",
        p: and(
          isIn(v.target, union(c.Cells, setEnum<string>("none"))),
          isIn(v.peer, union(c.Cells, setEnum<string>("none"))),
        ),
      },
      ChannelDiscipline: {
        doc: "S7: during an exchange, any reply in the peer's comm region answers the message just posted",
        p: implies(
          and(isIn(v.pc, setEnum<string>("vote", "bpoll")), apply(v.reply, v.peer).neq("NONE")),
          apply(v.fresh, v.peer),
        ),
      },
      PassiveNeverAsked: {
        doc: "S9: no message is ever written to a passive cell's comm region",
        p: forall(c.Passive, (x) => apply(v.msg, x).eq("NONE"), "q"),
      },
      ...(p.design
        ? {
            LockHeldAtCommit: {
              doc: "design (L7): no cell other than the target is RUNNING_LOCKED when a destroy commits",
              p: not(v.lockedAtCommit),
            },
          }
        : {}),
    }),
    properties: ({ v }) => ({
      ExchangeEnds: {
        doc: "L2/L3: every exchange with a cell ends (polls stop at a decision or a timeout)",
        leadsTo: [isIn(v.pc, setEnum<string>("vote", "bpoll")), isIn(v.pc, setEnum<string>("idle", "bcast"))],
      },
      CallsReturn: {
        doc: "L1/L4: every management call returns and the root CPUs resume",
        leadsTo: [v.pc.neq("idle"), v.pc.eq("idle")],
      },
      ...(p.victim
        ? {
            NoStarvation: {
              doc: `L5: while the root keeps trying, cell ${p.victim} is eventually destroyed`,
              alwaysEventually: apply(v.cstate, lit(p.victim)).eq("absent"),
            },
          }
        : {}),
    }),
    fairness: [
      { kind: "weak", action: "HypervisorPolls" },
      { kind: "weak", action: "HypervisorBroadcasts" },
      ...(protocol.quorum ? [{ kind: "weak" as const, action: "HypervisorAsks" }] : []),
      { kind: "weak", action: "CellAnswers" },
      { kind: "weak", action: "CellUnlocks" },
      // NoStarvation assumes the root keeps trying and a cell asked again and again eventually approves.
      ...(p.victim
        ? [
            { kind: "strong" as const, action: "CellDestroy" },
            { kind: "strong" as const, action: "CellAnswers" },
          ]
        : []),
    ],
    checkDeadlock: false,
  });
}
