import {
  and,
  apply,
  BOOLEAN,
  caseOf,
  choose,
  constFn,
  defineModel,
  type Ex,
  except,
  exists,
  type Fn,
  fnSet,
  forall,
  implies,
  isIn,
  ite,
  le,
  lit,
  litSet,
  type Model,
  minus,
  neq,
  not,
  notIn,
  or,
  range,
  type SetT,
  setEnum,
  setFilter,
  setminus,
  subsets,
  union,
  withParams,
} from "../kernel/index.js";

/** A cell's comm-region cell_state as the exchange reads it, plus "absent" (no such cell yet). */
const cstates = ["absent", "SD", "RUN", "LCK", "FL", "FCR"] as const;
const messages = ["NONE", "SHUTDOWN", "RECONFIG"] as const;
const replies = ["NONE", "UNKNOWN", "DENIED", "APPROVED", "RECEIVED"] as const;
/** idle; vote = polling the target's SHUTDOWN_REQUEST; bcast = choosing the next RECONFIG_COMPLETED; bpoll = polling it. */
const pcs = ["idle", "vote", "bcast", "bpoll"] as const;
const ops = ["none", "create", "start", "set_loadable", "destroy"] as const;
/** Why a voted operation was allowed to stop its target ("none": nothing the cell said or did allows it). */
const consents = ["n/a", "approved", "declared", "timeout", "passive", "none"] as const;

type Vars = {
  cstate: Fn<string, string>;
  msg: Fn<string, string>;
  reply: Fn<string, string>;
  fresh: Fn<string, boolean>;
  pc: string;
  op: string;
  target: string;
  peer: string;
  pending: SetT<string>;
  budget: number;
  rootSuspended: boolean;
  result: string;
  committed: boolean;
  lockedAtCheck: boolean;
  lockedAtCommit: boolean;
  consent: string;
};
type Consts = {
  Cells: SetT<string>;
  Passive: SetT<string>;
  Silent: SetT<string>;
  Rank: Fn<string, number>;
  Timeout: Fn<string, number>;
};

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
  return defineModel<Vars, Consts>({
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
      pending: { doc: "cells still to receive RECONFIG_COMPLETED", type: subsets(c.Cells) },
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
      pc: lit("idle"),
      op: lit("none"),
      target: lit("none"),
      peer: lit("none"),
      pending: setEnum<string>(),
      budget: lit(0),
      rootSuspended: lit(false),
      result: lit("none"),
      committed: lit(false),
      lockedAtCheck: lit(false),
      lockedAtCommit: lit(false),
      consent: lit("n/a"),
    }),
    actions: ({ v, c }) => {
      const st = (x: Ex<string>) => apply(v.cstate, x);
      const existing = setFilter(c.Cells, (x) => st(x).neq("absent"), "e");
      const lockedOther = (x: Ex<string>) => exists(c.Cells, (d) => and(d.neq(x), st(d).eq("LCK")), "d");
      /** The exchange's auto-approving states (3.3a): FAILED_COMM_REV is not among them. */
      const stopped = (x: Ex<string>) => isIn(st(x), litSet(["SD", "FL"]));
      /** Posting clears the reply word before writing the message (3.2's write ordering). */
      const clearedReply = (x: Ex<string>) => (p.bugStaleReply ? v.reply : except(v.reply, x, "NONE"));
      const returns = (result: string) => ({
        pc: lit("idle"),
        op: lit("none"),
        target: lit("none"),
        peer: lit("none"),
        budget: lit(0),
        rootSuspended: lit(false),
        result: lit(result),
      });
      /** What the cell side says allowed stopping x (computed from the cells' truth, not the hypervisor's reading). */
      const consentOf = (x: Ex<string>, timedOut: Ex<boolean>) =>
        caseOf<string>(
          [
            [isIn(x, c.Passive), lit("passive")],
            [and(apply(v.fresh, x), apply(v.reply, x).eq("APPROVED")), lit("approved")],
            [isIn(st(x), litSet(["SD", "FL", "FCR"])), lit("declared")],
            [timedOut, lit("timeout")],
          ],
          lit("none"),
        );
      /** The voted operation takes effect on x: the target's new comm-region state, and the broadcast after destroy. */
      const commit = (op: Ex<string>, x: Ex<string>, timedOut: Ex<boolean>) => {
        const after = caseOf<string>(
          [
            [op.eq("start"), lit("RUN")],
            [op.eq("set_loadable"), lit("SD")],
          ],
          lit("absent"),
        );
        const zeroed = or(op.eq("start"), op.eq("destroy"));
        const broadcast = op.eq("destroy");
        return {
          cstate: except(v.cstate, x, after),
          msg: ite(zeroed, except(v.msg, x, "NONE"), v.msg),
          reply: ite(zeroed, except(v.reply, x, "NONE"), v.reply),
          fresh: ite(zeroed, except(v.fresh, x, false), v.fresh),
          pc: ite(broadcast, lit("bcast"), lit("idle")),
          op: ite(broadcast, op, lit("none")),
          target: ite(broadcast, x, lit("none")),
          peer: lit("none"),
          pending: ite(broadcast, setminus(existing, setEnum<string>(x)), setEnum<string>()),
          budget: lit(0),
          rootSuspended: broadcast,
          result: ite(broadcast, lit("none"), lit("ok")),
          committed: lit(true),
          lockedAtCommit: and(op.eq("destroy"), lockedOther(x)),
          consent: consentOf(x, timedOut),
        };
      };
      const exchanging = isIn(v.pc, setEnum<string>("vote", "bpoll"));
      const first = choose(
        v.pending,
        (x) => forall(v.pending, (y) => le(apply(c.Rank, x), apply(c.Rank, y)), "y"),
        "f",
      );
      const answerable = (x: Ex<string>) =>
        caseOf<SetT<string>>(
          [
            [apply(v.msg, x).eq("SHUTDOWN"), setEnum<string>("APPROVED", "DENIED", "UNKNOWN")],
            [apply(v.msg, x).eq("RECONFIG"), setEnum<string>("RECEIVED", "UNKNOWN")],
          ],
          setEnum<string>(),
        );
      const answer = (doc: string, who: Ex<SetT<string>>) =>
        withParams<Vars>(
          [
            ["c", who],
            ["r", litSet(["APPROVED", "DENIED", "UNKNOWN", "RECEIVED"])],
          ],
          (x: Ex<string>, r: Ex<string>) => ({
            doc,
            guard: and(isIn(st(x), litSet(["RUN", "LCK"])), isIn(r, answerable(x))),
            update: { msg: except(v.msg, x, "NONE"), reply: except(v.reply, x, r), fresh: except(v.fresh, x, true) },
          }),
        );
      const call = (op: string, doc: string, mayTarget: (x: Ex<string>) => Ex<boolean>) =>
        withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => {
          const locked = op === "destroy" ? lockedOther(x) : lit(false);
          const vote = and(not(locked), notIn(x, c.Passive), not(stopped(x)));
          const allowedAtOnce = and(not(locked), not(vote));
          const fast = commit(lit(op), x, lit(false));
          return {
            doc,
            guard: and(v.pc.eq("idle"), mayTarget(x)),
            update: {
              // The target is asked only when the lock check passes; a passive or stopped target
              // answers "ok" without any write (3.3 step 1 and 3.3a on the first poll).
              msg: ite(vote, except(v.msg, x, "SHUTDOWN"), fast.msg),
              reply: ite(vote, clearedReply(x), fast.reply),
              fresh: ite(vote, except(v.fresh, x, false), fast.fresh),
              cstate: ite(allowedAtOnce, fast.cstate, v.cstate),
              pc: caseOf<string>(
                [
                  [vote, lit("vote")],
                  [allowedAtOnce, fast.pc],
                ],
                lit("idle"),
              ),
              op: caseOf<string>(
                [
                  [vote, lit(op)],
                  [allowedAtOnce, fast.op],
                ],
                lit("none"),
              ),
              target: caseOf<string>(
                [
                  [vote, x],
                  [allowedAtOnce, fast.target],
                ],
                lit("none"),
              ),
              peer: ite(vote, x, lit("none")),
              pending: ite(allowedAtOnce, fast.pending, setEnum<string>()),
              budget: ite(vote, apply(c.Timeout, x), lit(0)),
              rootSuspended: or(vote, and(allowedAtOnce, fast.rootSuspended)),
              result: caseOf<string>(
                [
                  [locked, lit("EPERM")],
                  [vote, lit("none")],
                ],
                fast.result,
              ),
              committed: allowedAtOnce,
              lockedAtCheck: locked,
              lockedAtCommit: and(allowedAtOnce, fast.lockedAtCommit),
              consent: ite(allowedAtOnce, fast.consent, lit("n/a")),
            },
          };
        });
      const isCell = (x: Ex<string>) => st(x).neq("absent");
      return {
        CellCreate: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => {
          const locked = exists(c.Cells, (d) => st(d).eq("LCK"), "d");
          return {
            doc: "the root creates cell c: -EPERM if any cell is RUNNING_LOCKED, else c is SHUT_DOWN and all cells are told",
            guard: and(v.pc.eq("idle"), not(isCell(x))),
            update: {
              cstate: ite(locked, v.cstate, except(v.cstate, x, "SD")),
              pc: ite(locked, lit("idle"), lit("bcast")),
              op: ite(locked, lit("none"), lit("create")),
              target: ite(locked, lit("none"), x),
              pending: ite(locked, setEnum<string>(), union(existing, setEnum<string>(x))),
              rootSuspended: not(locked),
              result: ite(locked, lit("EPERM"), lit("none")),
              committed: not(locked),
              lockedAtCheck: locked,
              lockedAtCommit: lit(false),
              consent: lit("n/a"),
            },
          };
        }),
        CellStart: call("start", "the root starts (or restarts) c: asks c unless passive or stopped", isCell),
        CellSetLoadable: call("set_loadable", "the root sets c loadable (the CLI's shutdown): asks c first", isCell),
        CellDestroy: call("destroy", "the root destroys c: -EPERM while another cell is locked, else asks c", isCell),
        HypervisorPolls: {
          doc: "one iteration of the exchange loop: state test, reply test, timeout, or spin",
          guard: exchanging,
          update: (() => {
            const x = v.peer;
            const request = v.pc.eq("vote");
            const expected = ite(request, lit("APPROVED"), lit("RECEIVED"));
            const rep = apply(v.reply, x);
            const refused = and(not(stopped(x)), rep.neq(expected), rep.neq("NONE"));
            const timesOut = and(not(stopped(x)), rep.eq("NONE"), neq(apply(c.Timeout, x), 0), v.budget.eq(1));
            const decided = or(stopped(x), rep.eq(expected), refused, timesOut);
            const failed = ite(timesOut, except(v.cstate, x, "FL"), v.cstate);
            const voteOk = and(request, not(refused), decided);
            const done = commit(v.op, x, timesOut);
            const back = returns("EPERM");
            return {
              cstate: ite(voteOk, except(failed, x, apply(done.cstate, x)), failed),
              msg: ite(voteOk, done.msg, v.msg),
              reply: ite(voteOk, done.reply, v.reply),
              fresh: ite(voteOk, done.fresh, v.fresh),
              pc: caseOf<string>(
                [
                  [not(decided), v.pc],
                  [voteOk, done.pc],
                  [request, back.pc],
                ],
                lit("bcast"),
              ),
              op: caseOf<string>([[and(request, decided), ite(voteOk, done.op, back.op)]], v.op),
              target: caseOf<string>([[and(request, decided), ite(voteOk, done.target, back.target)]], v.target),
              peer: ite(decided, lit("none"), v.peer),
              pending: ite(voteOk, done.pending, v.pending),
              budget: ite(decided, lit(0), ite(neq(apply(c.Timeout, x), 0), minus(v.budget, 1), v.budget)),
              rootSuspended: caseOf<boolean>(
                [[and(request, decided), ite(voteOk, done.rootSuspended, lit(false))]],
                v.rootSuspended,
              ),
              result: caseOf<string>([[and(request, decided), ite(voteOk, done.result, back.result)]], v.result),
              committed: ite(voteOk, lit(true), v.committed),
              lockedAtCommit: ite(voteOk, done.lockedAtCommit, v.lockedAtCommit),
              consent: ite(voteOk, done.consent, v.consent),
            };
          })(),
        },
        HypervisorBroadcasts: {
          doc: "the broadcast moves on: RECONFIG_COMPLETED to the next cell in list order (passive: nothing written), or the call returns",
          guard: v.pc.eq("bcast"),
          update: (() => {
            const done = v.pending.eq(setEnum<string>());
            const skip = isIn(first, c.Passive);
            const back = returns("ok");
            const asks = and(not(done), not(skip));
            return {
              msg: ite(asks, except(v.msg, first, "RECONFIG"), v.msg),
              reply: ite(asks, clearedReply(first), v.reply),
              fresh: ite(asks, except(v.fresh, first, false), v.fresh),
              pc: caseOf<string>(
                [
                  [done, back.pc],
                  [skip, lit("bcast")],
                ],
                lit("bpoll"),
              ),
              op: ite(done, back.op, v.op),
              target: ite(done, back.target, v.target),
              peer: ite(asks, first, lit("none")),
              pending: ite(done, v.pending, setminus(v.pending, setEnum<string>(first))),
              budget: ite(asks, apply(c.Timeout, first), lit(0)),
              rootSuspended: not(done),
              result: ite(done, back.result, v.result),
            };
          })(),
        },
        CellAnswers: answer(
          "cell c clears the message and writes reply r (APPROVED / DENIED / UNKNOWN, or RECEIVED / UNKNOWN)",
          setminus(c.Cells, c.Silent),
        ),
        SilentCellAnswers: answer("cell c, which may also never answer, writes reply r", c.Silent),
        CellLocks: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "running cell c writes RUNNING_LOCKED: do not reconfigure the system now",
          guard: st(x).eq("RUN"),
          update: { cstate: except(v.cstate, x, "LCK") },
        })),
        CellUnlocks: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "locked cell c writes RUNNING again",
          guard: st(x).eq("LCK"),
          update: { cstate: except(v.cstate, x, "RUN") },
        })),
        CellDeclares: withParams<Vars>(
          [
            ["c", c.Cells],
            ["s", litSet(["SD", "FL", "FCR"])],
          ],
          (x: Ex<string>, s: Ex<string>) => ({
            doc: "running cell c declares SHUT_DOWN, FAILED (or crashes) or FAILED_COMM_REV, and halts",
            guard: isIn(st(x), litSet(["RUN", "LCK"])),
            update: { cstate: except(v.cstate, x, s) },
          }),
        ),
      };
    },
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
    }),
    fairness: [
      { kind: "weak", action: "HypervisorPolls" },
      { kind: "weak", action: "HypervisorBroadcasts" },
      { kind: "weak", action: "CellAnswers" },
    ],
    checkDeadlock: false,
  });
}
