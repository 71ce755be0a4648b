import {
  and,
  apply,
  constFn,
  defineModel,
  type Ex,
  except,
  type Fn,
  fnSet,
  forall,
  isIn,
  lit,
  litSet,
  type Model,
  not,
  record,
  type SetT,
  setEnum,
  setMap,
  subsets,
  union,
  withParams,
} from "../kernel/index.js";

type Msg = { type: string; rm?: string };
type Vars = { rmState: Fn<string, string>; tmState: string; tmPrepared: SetT<string>; msgs: SetT<Msg> };

/**
 * Two-phase commit with a transaction manager and N resource managers, after Lamport's TwoPhase
 * spec from "Consensus on Transaction Commit". Messages are never lost and never removed.
 */
export function twoPhase(
  params: { readonly rms?: number | undefined; readonly symmetry?: boolean | undefined } = {},
): Model {
  const rms = Array.from({ length: params.rms ?? 3 }, (_, i) => `r${i + 1}`);
  return defineModel<Vars, { RM: SetT<string> }>({
    name: "TwoPhase",
    doc: "Two-phase commit: the manager commits only when every resource manager has prepared.",
    header: "Models message passing as a growing set of messages; leaves out failures of the manager.",
    constants: { RM: { doc: "the resource managers", value: { kind: "set", elems: rms } } },
    variables: ({ c }) => {
      const messages = union(
        setMap(c.RM, (r) => record<Msg>({ type: lit("Prepared"), rm: r }), "r"),
        setEnum<Msg>(record<Msg>({ type: lit("Commit") }), record<Msg>({ type: lit("Abort") })),
      );
      return {
        rmState: {
          doc: "state of each resource manager",
          type: fnSet(c.RM, litSet(["working", "prepared", "committed", "aborted"])),
        },
        tmState: { doc: "state of the transaction manager", type: litSet(["init", "committed", "aborted"]) },
        tmPrepared: { doc: "resource managers from which the manager has received Prepared", type: subsets(c.RM) },
        msgs: { doc: "every message ever sent", type: subsets(messages) },
      };
    },
    init: ({ c }) => ({
      rmState: constFn(c.RM, lit("working")),
      tmState: lit("init"),
      tmPrepared: emptySet(),
      msgs: emptySet(),
    }),
    actions: ({ v, c }) => {
      const msg = (type: string, rm?: Ex<string>): Ex<Msg> =>
        rm ? record<Msg>({ type: lit(type), rm }) : record<Msg>({ type: lit(type) });
      const rmIs = (r: Ex<string>, s: string) => apply(v.rmState, r).eq(s);
      return {
        TMRcvPrepared: withParams<Vars>([["r", c.RM]], (r: Ex<string>) => ({
          doc: "the manager receives a Prepared message from r",
          guard: and(v.tmState.eq("init"), isIn(msg("Prepared", r), v.msgs)),
          update: { tmPrepared: union(v.tmPrepared, setEnum(r)) },
        })),
        TMCommit: {
          doc: "the manager commits once every resource manager has prepared",
          guard: and(v.tmState.eq("init"), v.tmPrepared.eq(c.RM)),
          update: { tmState: lit("committed"), msgs: union(v.msgs, setEnum(msg("Commit"))) },
        },
        TMAbort: {
          doc: "the manager aborts spontaneously",
          guard: v.tmState.eq("init"),
          update: { tmState: lit("aborted"), msgs: union(v.msgs, setEnum(msg("Abort"))) },
        },
        RMPrepare: withParams<Vars>([["r", c.RM]], (r: Ex<string>) => ({
          doc: "r prepares and tells the manager",
          guard: rmIs(r, "working"),
          update: { rmState: except(v.rmState, r, "prepared"), msgs: union(v.msgs, setEnum(msg("Prepared", r))) },
        })),
        RMChooseToAbort: withParams<Vars>([["r", c.RM]], (r: Ex<string>) => ({
          doc: "r aborts on its own while still working",
          guard: rmIs(r, "working"),
          update: { rmState: except(v.rmState, r, "aborted") },
        })),
        RMRcvCommitMsg: withParams<Vars>([["r", c.RM]], (r: Ex<string>) => ({
          doc: "r receives the Commit message",
          guard: isIn(msg("Commit"), v.msgs),
          update: { rmState: except(v.rmState, r, "committed") },
        })),
        RMRcvAbortMsg: withParams<Vars>([["r", c.RM]], (r: Ex<string>) => ({
          doc: "r receives the Abort message",
          guard: isIn(msg("Abort"), v.msgs),
          update: { rmState: except(v.rmState, r, "aborted") },
        })),
      };
    },
    invariants: ({ v, c }) => ({
      Consistent: {
        doc: "no resource manager has aborted while another has committed",
        p: forall(
          c.RM,
          (r1) =>
            forall(
              c.RM,
              (r2) => not(and(apply(v.rmState, r1).eq("aborted"), apply(v.rmState, r2).eq("committed"))),
              "r2",
            ),
          "r1",
        ),
      },
    }),
    checkDeadlock: false,
    ...(params.symmetry ? { symmetry: "RM" as const } : {}),
  });
}

const emptySet = <T>(): Ex<SetT<T>> => setEnum<T>();
