/**
 * The actions of ManagementVote: the calling root CPU's steps (call, ask, poll, broadcast) and the
 * cells' (answer, reply late, lock, unlock, declare). Each hypervisor step is built from whole
 * next-state records chosen field by field, so the branches of control.c read as branches here.
 */
import {
  type ActionSpec,
  and,
  apply,
  cardinality,
  caseOf,
  choose,
  type Ex,
  except,
  exists,
  type Fn,
  fnDef,
  forall,
  ge,
  isIn,
  ite,
  le,
  lit,
  litSet,
  minus,
  neq,
  not,
  notIn,
  or,
  type ParamAction,
  type Scope,
  type SetT,
  setEnum,
  setFilter,
  setminus,
  union,
  withParams,
} from "../kernel/index.js";
import type { VoteFaults, VoteProtocol } from "./voteDesign.js";

export type VoteVars = {
  cstate: Fn<string, string>;
  msg: Fn<string, string>;
  reply: Fn<string, string>;
  fresh: Fn<string, boolean>;
  pc: string;
  op: string;
  target: string;
  peer: string;
  pending: SetT<string>;
  deniedBy: SetT<string>;
  budget: number;
  rootSuspended: boolean;
  result: string;
  committed: boolean;
  lockedAtCheck: boolean;
  lockedAtCommit: boolean;
  consent: string;
};
export type VoteConsts = {
  Cells: SetT<string>;
  Passive: SetT<string>;
  Silent: SetT<string>;
  Safety: SetT<string>;
  Quorum: number;
  Rank: Fn<string, number>;
  Timeout: Fn<string, number>;
};

type Next = { [K in keyof VoteVars]: Ex<VoteVars[K]> };

const literal = (x: Ex<boolean>): boolean | undefined =>
  x.node.k === "lit" && typeof x.node.value === "boolean" ? x.node.value : undefined;

/** OR, AND, IF and CASE that resolve literal conditions at build time. */
const anyOf = (...xs: Ex<boolean>[]): Ex<boolean> => {
  if (xs.some((x) => literal(x) === true)) return lit(true);
  const rest = xs.filter((x) => literal(x) !== false);
  return rest.length === 0 ? lit(false) : or(...rest);
};
const allOf = (...xs: Ex<boolean>[]): Ex<boolean> => {
  if (xs.some((x) => literal(x) === false)) return lit(false);
  const rest = xs.filter((x) => literal(x) !== true);
  return rest.length === 0 ? lit(true) : and(...rest);
};
const iff = <T>(cond: Ex<boolean>, a: Ex<T>, b: Ex<T>): Ex<T> => {
  const known = literal(cond);
  return known === undefined ? ite(cond, a, b) : known ? a : b;
};
/** CASE with literal conditions resolved; a CASE whose arms all equal the fallback is the fallback. */
function cases<T>(allArms: readonly [Ex<boolean>, Ex<T>][], otherwise: Ex<T>): Ex<T> {
  const decisive = allArms.findIndex(([cond]) => literal(cond) === true);
  const other = decisive < 0 ? otherwise : (allArms[decisive]?.[1] as Ex<T>);
  const arms = (decisive < 0 ? allArms : allArms.slice(0, decisive)).filter(([cond]) => literal(cond) !== false);
  return arms.every(([, x]) => x.node === other.node) ? other : caseOf(arms, other);
}

/**
 * Field-wise CASE over whole next-state records, so the emitted TLA+ shows only the fields a
 * branch really changes.
 */
function select(arms: readonly [Ex<boolean>, Next][], otherwise: Next): Next {
  const out = {} as Record<string, Ex<unknown>>;
  for (const key of Object.keys(otherwise) as (keyof Next)[]) {
    out[key] = cases(
      arms.map(([cond, n]) => [cond, n[key] as Ex<unknown>] as [Ex<boolean>, Ex<unknown>]),
      otherwise[key] as Ex<unknown>,
    );
  }
  return out as Next;
}

/** The calling root CPU between management calls: the initial state, and the state after a return. */
export const idleCaller = () => ({
  pc: lit("idle"),
  op: lit("none"),
  target: lit("none"),
  peer: lit("none"),
  pending: setEnum<string>(),
  deniedBy: setEnum<string>(),
  budget: lit(0),
  rootSuspended: lit(false),
});

export interface VoteOptions {
  readonly protocol: VoteProtocol;
  readonly faults: VoteFaults;
  readonly bugStaleReply: boolean;
}

export function voteActions(
  { v, c }: Scope<VoteVars, VoteConsts>,
  { protocol, faults, bugStaleReply }: VoteOptions,
): Record<string, ActionSpec<VoteVars> | ParamAction<VoteVars>> {
  const st = (x: Ex<string>) => apply(v.cstate, x);
  const running = (x: Ex<string>) => isIn(st(x), litSet(["RUN", "LCK"]));
  const existing = setFilter(c.Cells, (x) => st(x).neq("absent"), "e");
  const lockedOther = (x: Ex<string>) => exists(c.Cells, (d) => and(d.neq(x), st(d).eq("LCK")), "d");
  /** The exchange's auto-approving states (3.3a): FAILED_COMM_REV only in the commRevTerminal design. */
  const stopped = (x: Ex<string>) => isIn(st(x), litSet(protocol.commRevTerminal ? ["SD", "FL", "FCR"] : ["SD", "FL"]));
  const first = (s: Ex<SetT<string>>) =>
    choose(s, (x) => forall(s, (y) => le(apply(c.Rank, x), apply(c.Rank, y)), "y"), "f");
  const keep: Next = { ...v };
  /** `op = name`, folded when op is a literal (a call's own operation). */
  const opIs = (op: Ex<string>, name: string): Ex<boolean> =>
    op.node.k === "lit" ? lit(op.node.value === name) : op.eq(name);

  /** Posting a message: clear the reply word, then write the message (3.2's write ordering). */
  const post = (n: Next, x: Ex<string>, message: string): Next => ({
    ...n,
    msg: except(n.msg, x, message),
    reply: bugStaleReply ? n.reply : except(n.reply, x, "NONE"),
    fresh: except(n.fresh, x, false),
  });
  const returns = (n: Next, result: string): Next => ({ ...n, ...idleCaller(), result: lit(result) });
  /** Why stopping x is allowed, judged from the cells' side (a fresh approval, a declaration, a timeout). */
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

  /** The operation `op` takes effect on x; create and destroy then broadcast RECONFIG_COMPLETED. */
  const commit = (op: Ex<string>, x: Ex<string>, timedOut: Ex<boolean>, from: Next = keep): Next => {
    const after = cases<string>(
      [
        [opIs(op, "start"), lit("RUN")],
        [opIs(op, "set_loadable"), lit("SD")],
        [opIs(op, "create"), lit("SD")],
      ],
      lit("absent"),
    );
    const reconfig = anyOf(opIs(op, "create"), opIs(op, "destroy"));
    const zeroed = anyOf(reconfig, opIs(op, "start"));
    const told = cases<SetT<string>>(
      [
        [opIs(op, "create"), union(existing, setEnum<string>(x))],
        [opIs(op, "destroy"), setminus(existing, setEnum<string>(x))],
      ],
      setEnum<string>(),
    );
    const base: Next = {
      ...from,
      cstate: except(from.cstate, x, after),
      msg: iff(zeroed, except(from.msg, x, "NONE"), from.msg),
      reply: iff(zeroed, except(from.reply, x, "NONE"), from.reply),
      fresh: iff(zeroed, except(from.fresh, x, false), from.fresh),
      committed: lit(true),
      lockedAtCommit: allOf(reconfig, lockedOther(x)),
      consent: iff(opIs(op, "create"), lit("n/a"), consentOf(x, timedOut)),
    };
    if (protocol.broadcastNoWait) {
      const asked = setminus(told, c.Passive);
      const toAsked = <T>(f: Ex<Fn<string, T>>, value: Ex<T>) =>
        fnDef(c.Cells, (y) => iff(isIn(y, asked), value, apply(f, y)), "y");
      return returns(
        {
          ...base,
          msg: toAsked(base.msg, lit("RECONFIG")),
          reply: bugStaleReply ? base.reply : toAsked(base.reply, lit("NONE")),
          fresh: toAsked(base.fresh, lit(false)),
        },
        "ok",
      );
    }
    const broadcasting: Next = {
      ...base,
      pc: lit("bcast"),
      op,
      target: x,
      peer: lit("none"),
      pending: told,
      budget: lit(0),
      rootSuspended: lit(true),
    };
    return select([[reconfig, broadcasting]], returns(base, "ok"));
  };
  /** The lockAtCommit design refuses a reconfiguration while another cell is locked at its commit. */
  const blockedAtCommit = (op: Ex<string>, x: Ex<string>) =>
    protocol.lockAtCommit ? allOf(anyOf(opIs(op, "create"), opIs(op, "destroy")), lockedOther(x)) : lit(false);
  const commitOrBlock = (op: Ex<string>, x: Ex<string>, timedOut: Ex<boolean>, from: Next): Next =>
    select([[blockedAtCommit(op, x), returns(from, "EPERM")]], commit(op, x, timedOut, from));

  /** Ask x for SHUTDOWN_REQUEST, or go on at once when x is passive or already stopped (3.3 step 1, 3.3a). */
  const vote = (op: Ex<string>, x: Ex<string>, from: Next): Next => {
    const asks = and(notIn(x, c.Passive), not(stopped(x)));
    const asking: Next = {
      ...post(from, x, "SHUTDOWN"),
      pc: lit("vote"),
      op,
      target: x,
      peer: x,
      budget: apply(c.Timeout, x),
      rootSuspended: lit(true),
    };
    return select([[asks, asking]], commitOrBlock(op, x, lit(false), from));
  };
  /** After a passed lock check: the safety cells' quorum round (create, destroy), the target's vote, or the commit. */
  const proceed = (op: string, x: Ex<string>, from: Next): Next => {
    const reconfig = op === "create" || op === "destroy";
    if (protocol.quorum && reconfig) {
      return {
        ...from,
        pc: lit("ask"),
        op: lit(op),
        target: x,
        pending: setFilter(setminus(c.Safety, setEnum<string>(x)), (y) => running(y), "s"),
        rootSuspended: lit(true),
      };
    }
    return op === "create" ? commit(lit(op), x, lit(false), from) : vote(lit(op), x, from);
  };
  /** A call from the root: reset the ghosts, run the lock check (create: any lock; destroy: another cell's). */
  const call = (op: string, doc: string, mayTarget: (x: Ex<string>) => Ex<boolean>) =>
    withParams<VoteVars>([["c", c.Cells]], (x: Ex<string>) => {
      const locked =
        op === "create" ? exists(c.Cells, (d) => st(d).eq("LCK"), "d") : op === "destroy" ? lockedOther(x) : lit(false);
      const start: Next = {
        ...keep,
        result: lit("none"),
        committed: lit(false),
        lockedAtCheck: locked,
        lockedAtCommit: lit(false),
        consent: lit("n/a"),
      };
      const next =
        op === "create" || op === "destroy"
          ? select([[locked, returns(start, "EPERM")]], proceed(op, x, start))
          : proceed(op, x, start);
      return { doc, guard: and(v.pc.eq("idle"), mayTarget(x)), update: next };
    });

  const poll = (): Next => {
    const x = v.peer;
    const rep = apply(v.reply, x);
    const request = or(v.pc.eq("vote"), v.pc.eq("apoll"));
    const expected = ite(request, lit("APPROVED"), lit("RECEIVED"));
    const refused = and(not(stopped(x)), rep.neq(expected), rep.neq("NONE"));
    const timesOut = and(not(stopped(x)), rep.eq("NONE"), neq(apply(c.Timeout, x), 0), v.budget.eq(1));
    const decided = or(stopped(x), rep.eq(expected), refused, timesOut);
    const failed: Next = { ...keep, cstate: ite(timesOut, except(v.cstate, x, "FL"), v.cstate) };
    const spin: Next = { ...keep, budget: ite(neq(apply(c.Timeout, x), 0), minus(v.budget, 1), v.budget) };
    const approvedCommit = commitOrBlock(v.op, x, timesOut, failed);
    return select(
      [
        [not(decided), spin],
        [and(v.pc.eq("vote"), refused), returns(failed, "EPERM")],
        [v.pc.eq("vote"), approvedCommit],
        [
          v.pc.eq("apoll"),
          {
            ...failed,
            pc: lit("ask"),
            peer: lit("none"),
            budget: lit(0),
            deniedBy: ite(refused, union(v.deniedBy, setEnum<string>(x)), v.deniedBy),
          },
        ],
      ],
      { ...failed, pc: lit("bcast"), peer: lit("none"), budget: lit(0) },
    );
  };

  const ask = (): Next => {
    const done = v.pending.eq(setEnum<string>());
    const next = first(v.pending);
    const enough = ge(minus(cardinality(c.Safety), cardinality(v.deniedBy)), c.Quorum);
    const asking: Next = {
      ...post(keep, next, "ASK"),
      pc: lit("apoll"),
      peer: next,
      pending: setminus(v.pending, setEnum<string>(next)),
      budget: apply(c.Timeout, next),
    };
    return select(
      [
        [not(done), asking],
        [not(enough), returns(keep, "EPERM")],
        [v.op.eq("create"), commitOrBlock(v.op, v.target, lit(false), keep)],
      ],
      vote(v.op, v.target, keep),
    );
  };

  const broadcast = (): Next => {
    const done = v.pending.eq(setEnum<string>());
    const next = first(v.pending);
    const skip = isIn(next, c.Passive);
    const rest = setminus(v.pending, setEnum<string>(next));
    return select(
      [
        [done, returns(keep, "ok")],
        [skip, { ...keep, pending: rest }],
      ],
      { ...post(keep, next, "RECONFIG"), pc: lit("bpoll"), peer: next, pending: rest, budget: apply(c.Timeout, next) },
    );
  };

  const answers = (x: Ex<string>) =>
    caseOf<SetT<string>>(
      [
        [
          or(apply(v.msg, x).eq("SHUTDOWN"), apply(v.msg, x).eq("ASK")),
          faults.alwaysDeny ? setEnum<string>("DENIED") : setEnum<string>("APPROVED", "DENIED", "UNKNOWN"),
        ],
        [apply(v.msg, x).eq("RECONFIG"), setEnum<string>("RECEIVED", "UNKNOWN")],
      ],
      setEnum<string>(),
    );
  const answer = (doc: string, who: Ex<SetT<string>>) =>
    withParams<VoteVars>(
      [
        ["c", who],
        ["r", litSet(["APPROVED", "DENIED", "UNKNOWN", "RECEIVED"])],
      ],
      (x: Ex<string>, r: Ex<string>) => ({
        doc,
        guard: and(running(x), isIn(r, answers(x))),
        update: { msg: except(v.msg, x, "NONE"), reply: except(v.reply, x, r), fresh: except(v.fresh, x, true) },
      }),
    );
  const mayLock = faults.lockDuringCall && !protocol.lockFence ? lit(true) : v.pc.eq("idle");
  const mayUnlock = faults.lockDuringCall ? lit(true) : v.pc.eq("idle");
  const declarable = [...(faults.alwaysDeny ? [] : ["SD"]), ...(faults.crash ? ["FL", "FCR"] : [])];
  const isCell = (x: Ex<string>) => st(x).neq("absent");

  return {
    CellCreate: call(
      "create",
      "the root creates cell c: -EPERM if any cell is RUNNING_LOCKED, else c is SHUT_DOWN and all cells are told",
      (x) => not(isCell(x)),
    ),
    CellStart: call("start", "the root starts (or restarts) c: asks c unless passive or stopped", isCell),
    CellSetLoadable: call("set_loadable", "the root sets c loadable (the CLI's shutdown): asks c first", isCell),
    CellDestroy: call("destroy", "the root destroys c: -EPERM while another cell is locked, else asks c", isCell),
    ...(protocol.quorum
      ? {
          HypervisorAsks: {
            doc: "the quorum round: ask the next running safety cell, or decide on the denials so far",
            guard: v.pc.eq("ask"),
            update: ask(),
          },
        }
      : {}),
    HypervisorPolls: {
      doc: "one iteration of the exchange loop: state test, reply test, timeout, or spin",
      guard: isIn(v.pc, setEnum<string>("vote", "apoll", "bpoll")),
      update: poll(),
    },
    HypervisorBroadcasts: {
      doc: "the broadcast moves on: RECONFIG_COMPLETED to the next cell in list order (passive: nothing written), or the call returns",
      guard: v.pc.eq("bcast"),
      update: broadcast(),
    },
    CellAnswers: answer(
      "cell c clears the message and writes reply r (APPROVED / DENIED / UNKNOWN, or RECEIVED / UNKNOWN)",
      setminus(c.Cells, c.Silent),
    ),
    SilentCellAnswers: answer("cell c, which may also never answer, writes reply r", c.Silent),
    ...(faults.lateReply
      ? {
          CellRepliesLate: withParams<VoteVars>(
            [
              ["c", c.Cells],
              ["r", litSet(["APPROVED", "DENIED", "UNKNOWN", "RECEIVED"])],
            ],
            (x: Ex<string>, r: Ex<string>) => ({
              doc: "cell c writes reply r meant for an earlier message, leaving the message word alone",
              guard: and(running(x), notIn(x, c.Passive), apply(v.reply, x).neq(r)),
              update: { reply: except(v.reply, x, r), fresh: except(v.fresh, x, false) },
            }),
          ),
        }
      : {}),
    CellLocks: withParams<VoteVars>([["c", c.Cells]], (x: Ex<string>) => ({
      doc: "running cell c writes RUNNING_LOCKED: do not reconfigure the system now",
      guard: and(st(x).eq("RUN"), mayLock),
      update: { cstate: except(v.cstate, x, "LCK") },
    })),
    CellUnlocks: withParams<VoteVars>([["c", c.Cells]], (x: Ex<string>) => ({
      doc: "locked cell c writes RUNNING again",
      guard: and(st(x).eq("LCK"), mayUnlock),
      update: { cstate: except(v.cstate, x, "RUN") },
    })),
    ...(declarable.length > 0
      ? {
          CellDeclares: withParams<VoteVars>(
            [
              ["c", c.Cells],
              ["s", litSet(declarable)],
            ],
            (x: Ex<string>, s: Ex<string>) => ({
              doc: "running cell c declares SHUT_DOWN, or crashes (FAILED) or halts in FAILED_COMM_REV",
              guard: running(x),
              update: { cstate: except(v.cstate, x, s) },
            }),
          ),
        }
      : {}),
  };
}
