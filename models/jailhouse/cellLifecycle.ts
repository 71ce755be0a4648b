import {
  and,
  apply,
  BOOLEAN,
  bigUnion,
  cardinality,
  caseOf,
  constFn,
  defineModel,
  type Ex,
  except,
  exists,
  type Fn,
  field,
  fnDef,
  fnSet,
  forall,
  implies,
  isIn,
  lit,
  litSet,
  type Model,
  not,
  or,
  plus,
  range,
  record,
  type SetT,
  setEnum,
  setFilter,
  setMap,
  subseteq,
  subsets,
  union,
  withParams,
} from "../kernel/index.js";

/**
 * Abstract state of a non-root cell (semantics.md §1.6): absent; shut down after create (SD0);
 * shut down and loadable (SDL); running (RUN); running locked (LCK); shut down by its own write
 * (SDC); failed (FL); failed with a comm-region revision mismatch (FCR).
 */
export const cellStates = ["absent", "SD0", "SDL", "RUN", "LCK", "SDC", "FL", "FCR"] as const;
export type CellState = (typeof cellStates)[number];

/** The outcome of the last root operation: a value, an errno, or "HANG" (the call never returns). */
const results = ["none", "ok", "EPERM", "ENOENT", "EEXIST", "EBUSY", "HANG", "0", "1", "2", "3", "4"] as const;
const ops = ["none", "create", "set_loadable", "start", "destroy", "get_state", "disable"] as const;

type LastOp = { op: string; target: string; result: string; othersLocked: boolean };
type Vars = { state: Fn<string, string>; lastOp: LastOp; hung: boolean; disabled: boolean; count: number };
type Consts = { Cells: SetT<string>; Passive: SetT<string>; WithTimeout: SetT<string> };

export interface LifecycleParams {
  /** Names of the non-root cells. */
  readonly cells: readonly string[];
  /** Cells whose comm region is passive (PASSIVE_COMMREG): never asked. */
  readonly passive: readonly string[];
  /** Cells with a non-zero msg_reply_timeout: a silent cell is failed instead of hanging the root. */
  readonly withTimeout: readonly string[];
  /** Must-fail twin: destroy skips the lock check over the other cells. */
  readonly bugDestroySkipsLockCheck?: boolean | undefined;
  /**
   * The cells are interchangeable (the caller checked that they have identical settings: all or
   * none passive, all or none with a timeout), so `Cells` is a symmetry set. NoFreeze, `[]~hung`,
   * is then checked as the invariant `~hung` it amounts to, as symmetry is for safety checking.
   */
  readonly symmetry?: boolean | undefined;
}

/**
 * CellLifecycle: every non-root cell's state under the root-only operations create,
 * set-loadable, start, destroy, get-state and disable, with upstream's outcome (new state or
 * errno) in each state, the shutdown vote abstracted to its outcomes, and the cells' own writes
 * of their comm-region state.
 */
export function cellLifecycle(p: LifecycleParams): Model {
  const set = (xs: readonly string[]) => ({ kind: "set" as const, elems: [...xs].sort() });
  return defineModel<Vars, Consts>({
    name: p.bugDestroySkipsLockCheck ? "CellLifecycleBug" : "CellLifecycle",
    doc: "Jailhouse cell lifecycle: root-cell management hypercalls against concurrently acting cells.",
    header: [
      "Models control.c's cell_create / cell_set_loadable / cell_start / cell_destroy / cell_get_state /",
      "hypervisor_disable outcomes per abstract cell state (semantics.md 1.5-1.6). The shutdown vote is",
      "abstracted to its outcomes (approve, deny, timeout, hang); the polling exchange itself is the",
      "ManagementVote model's subject. The RECONFIG_COMPLETED broadcast after a committed create or",
      "destroy asks every running non-passive cell; the *Unanswered actions are those where some stay",
      "silent: each fails on its timeout or, without one, hangs the root (which ends the broadcast).",
      "Left out: resources (ResourceOwnership), the driver's checks,",
      "errors from memory exhaustion, and cell IDs (cells are named).",
      p.bugDestroySkipsLockCheck ? "MUST-FAIL TWIN: destroy does not check other cells' RUNNING_LOCKED." : "",
    ].join("\n"),
    constants: {
      Cells: { doc: "the non-root cells of the configuration", value: set(p.cells) },
      Passive: { doc: "cells with PASSIVE_COMMREG", value: set(p.passive) },
      WithTimeout: { doc: "cells with a non-zero msg_reply_timeout", value: set(p.withTimeout) },
    },
    variables: ({ c }) => ({
      state: { doc: "abstract state of each non-root cell", type: fnSet(c.Cells, litSet([...cellStates])) },
      lastOp: {
        doc: "the last root operation, its target and its result (for the properties)",
        type: recordSet(c.Cells),
      },
      hung: { doc: "a management call never returned: the root cell is frozen", type: BOOLEAN },
      disabled: { doc: "the hypervisor was disabled", type: BOOLEAN },
      count: { doc: "the hypervisor's cell count, root included", type: range(1, plus(1, cardinality(c.Cells))) },
    }),
    init: ({ c }) => ({
      state: constFn(c.Cells, lit("absent")),
      lastOp: record<LastOp>({ op: lit("none"), target: lit("none"), result: lit("none"), othersLocked: lit(false) }),
      hung: lit(false),
      disabled: lit(false),
      count: lit(1),
    }),
    actions: ({ v, c }) => {
      const st = (x: Ex<string>) => apply(v.state, x);
      const exists_ = (x: Ex<string>) => st(x).neq("absent");
      const lockedOther = (x: Ex<string> | undefined) =>
        exists(c.Cells, (d) => and(st(d).eq("LCK"), x ? d.neq(x) : lit(true)), "d");
      const rootFree = and(not(v.hung), not(v.disabled));
      /** The vote's possible outcomes for target x (control.c cell_exchange_message). */
      const voteOutcomes = (x: Ex<string>): Ex<SetT<string>> =>
        caseOf<SetT<string>>(
          [
            [isIn(x, c.Passive), setEnum<string>("approve")],
            // cell_state SHUT_DOWN (2) or FAILED (3) approves at once; FCR (4) does not.
            [isIn(st(x), litSet(["SD0", "SDL", "SDC", "FL"])), setEnum<string>("approve")],
            [isIn(x, c.WithTimeout), setEnum<string>("approve", "deny", "timeout")],
          ],
          setEnum<string>("approve", "deny", "hang"),
        );
      const done = (op: string, x: Ex<string>, result: Ex<string> | string, othersLocked: Ex<boolean> = lit(false)) =>
        record<LastOp>({
          op: lit(op),
          target: x,
          result: typeof result === "string" ? lit(result) : result,
          othersLocked,
        });
      /** Outcome of an operation guarded by the prologue and the vote. */
      const voted = (op: string, x: Ex<string>, vote: Ex<string>, onApprove: Ex<string>, countAfter: Ex<number>) => ({
        state: caseOf<Fn<string, string>>(
          [
            [not(exists_(x)), v.state],
            [or(vote.eq("approve"), vote.eq("timeout")), except(v.state, x, onApprove)],
          ],
          v.state,
        ),
        lastOp: done(
          op,
          x,
          caseOf<string>(
            [
              [not(exists_(x)), lit("ENOENT")],
              [vote.eq("deny"), lit("EPERM")],
              [vote.eq("hang"), lit("HANG")],
            ],
            lit("ok"),
          ),
        ),
        hung: and(exists_(x), vote.eq("hang")),
        count: caseOf<number>([[and(exists_(x), or(vote.eq("approve"), vote.eq("timeout"))), countAfter]], v.count),
      });
      const voteSet = (x: Ex<string>) => caseOf<SetT<string>>([[exists_(x), voteOutcomes(x)]], setEnum<string>("none"));
      /**
       * Who may stay silent in the RECONFIG_COMPLETED broadcast after a committed create or destroy
       * of x (control.c cell_reconfig_completed): it asks every other non-passive cell whose comm
       * region is not SHUT_DOWN or FAILED. Silent cells with a timeout are failed
       * (cell_exchange_message suspends them and writes FAILED); a silent cell without one hangs
       * the root, which ends the broadcast, so it is silent alone. (A set filter, not a disjunction
       * in the guard: TLC would take each true disjunct as a step of its own.)
       */
      const silentSets = (x: Ex<string>) => {
        const asked = setFilter(
          c.Cells,
          (d) => and(d.neq(x), not(isIn(d, c.Passive)), isIn(st(d), litSet(["RUN", "LCK", "FCR"]))),
          "d",
        );
        return setFilter(
          subsets(c.Cells),
          (s) =>
            and(s.neq(setEnum<string>()), subseteq(s, asked), or(subseteq(s, c.WithTimeout), cardinality(s).eq(1))),
          "s",
        );
      };
      const hangs = (silent: Ex<SetT<string>>) => exists(silent, (d) => not(isIn(d, c.WithTimeout)), "h");
      /** The cells after the broadcast: the silent ones with a timeout are FAILED. */
      const afterBroadcast = (states: Ex<Fn<string, string>>, silent: Ex<SetT<string>>) =>
        fnDef(
          c.Cells,
          (d) => caseOf<string>([[and(isIn(d, silent), isIn(d, c.WithTimeout)), lit("FL")]], apply(states, d)),
          "b",
        );
      return {
        CellCreate: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "the root creates cell c: -EPERM if any cell is locked, then -EEXIST if c exists",
          guard: rootFree,
          update: {
            state: caseOf<Fn<string, string>>(
              [[or(lockedOther(undefined), exists_(x)), v.state]],
              except(v.state, x, "SD0"),
            ),
            lastOp: done(
              "create",
              x,
              caseOf<string>(
                [
                  [lockedOther(undefined), lit("EPERM")],
                  [exists_(x), lit("EEXIST")],
                ],
                lit("ok"),
              ),
              lockedOther(undefined),
            ),
            count: caseOf<number>([[or(lockedOther(undefined), exists_(x)), v.count]], plus(v.count, 1)),
          },
        })),
        CellCreateUnanswered: withParams<Vars>(
          [
            ["c", c.Cells],
            ["silent", subsets(c.Cells)],
          ],
          (x: Ex<string>, silent: Ex<SetT<string>>) => ({
            doc: "the root creates cell c, and the silent cells never answer the RECONFIG_COMPLETED broadcast",
            guard: and(rootFree, not(lockedOther(undefined)), not(exists_(x)), isIn(silent, silentSets(x))),
            update: {
              state: afterBroadcast(except(v.state, x, "SD0"), silent),
              lastOp: done("create", x, caseOf<string>([[hangs(silent), lit("HANG")]], lit("ok"))),
              hung: hangs(silent),
              count: plus(v.count, 1),
            },
          }),
        ),
        CellSetLoadable: withParams<Vars>(votedParams(c.Cells), (x: Ex<string>, vote: Ex<string>) => ({
          doc: "the root sets c loadable (the CLI's shutdown): asks c unless passive or already stopped",
          guard: and(rootFree, isIn(vote, voteSet(x))),
          update: voted("set_loadable", x, vote, lit("SDL"), v.count),
        })),
        CellStart: withParams<Vars>(votedParams(c.Cells), (x: Ex<string>, vote: Ex<string>) => ({
          doc: "the root starts (or restarts) c: asks c first, as for set-loadable",
          guard: and(rootFree, isIn(vote, voteSet(x))),
          update: voted("start", x, vote, lit("RUN"), v.count),
        })),
        CellDestroy: withParams<Vars>(votedParams(c.Cells), (x: Ex<string>, vote: Ex<string>) => {
          const blocked = p.bugDestroySkipsLockCheck ? lit(false) : and(exists_(x), lockedOther(x));
          const v2 = voted("destroy", x, vote, lit("absent"), plus(v.count, -1));
          return {
            doc: "the root destroys c: -EPERM while another cell is locked, else asks c",
            guard: and(rootFree, isIn(vote, caseOf<SetT<string>>([[blocked, setEnum<string>("none")]], voteSet(x)))),
            update: {
              state: caseOf<Fn<string, string>>([[blocked, v.state]], v2.state),
              lastOp: caseOf<LastOp>(
                [[blocked, done("destroy", x, "EPERM", lit(true))]],
                record<LastOp>({
                  op: lit("destroy"),
                  target: x,
                  result: caseOf<string>(
                    [
                      [not(exists_(x)), lit("ENOENT")],
                      [vote.eq("deny"), lit("EPERM")],
                      [vote.eq("hang"), lit("HANG")],
                    ],
                    lit("ok"),
                  ),
                  othersLocked: and(exists_(x), lockedOther(x)),
                }),
              ),
              hung: and(not(blocked), v2.hung),
              count: caseOf<number>([[blocked, v.count]], v2.count),
            },
          };
        }),
        CellDestroyUnanswered: withParams<Vars>(
          [
            ["c", c.Cells],
            ["vote", setEnum<string>("approve", "timeout")],
            ["silent", subsets(c.Cells)],
          ],
          (x: Ex<string>, vote: Ex<string>, silent: Ex<SetT<string>>) => ({
            doc: "the root destroys c, and the silent cells never answer the RECONFIG_COMPLETED broadcast",
            guard: and(
              rootFree,
              exists_(x),
              p.bugDestroySkipsLockCheck ? lit(true) : not(lockedOther(x)),
              isIn(vote, voteSet(x)),
              isIn(silent, silentSets(x)),
            ),
            update: {
              state: afterBroadcast(except(v.state, x, "absent"), silent),
              lastOp: done("destroy", x, caseOf<string>([[hangs(silent), lit("HANG")]], lit("ok")), lockedOther(x)),
              hung: hangs(silent),
              count: plus(v.count, -1),
            },
          }),
        ),
        CellGetState: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "the root reads c's state: -ENOENT if absent, else its comm-region value",
          guard: rootFree,
          update: {
            lastOp: done(
              "get_state",
              x,
              caseOf<string>(
                [
                  [not(exists_(x)), lit("ENOENT")],
                  [st(x).eq("RUN"), lit("0")],
                  [st(x).eq("LCK"), lit("1")],
                  [st(x).eq("FL"), lit("3")],
                  [st(x).eq("FCR"), lit("4")],
                ],
                lit("2"),
              ),
            ),
          },
        })),
        HypervisorDisable: {
          doc: "the root disables the hypervisor: only with the root cell alone, else -EBUSY",
          guard: rootFree,
          update: {
            disabled: v.count.eq(1),
            lastOp: done("disable", lit("none"), caseOf<string>([[v.count.eq(1), lit("ok")]], lit("EBUSY"))),
          },
        },
        CellWritesState: withParams<Vars>(
          [
            ["c", c.Cells],
            ["s", litSet(["RUN", "LCK", "SDC", "FL", "FCR"])],
          ],
          (x: Ex<string>, s: Ex<string>) => ({
            doc: "running cell c writes its comm-region state: lock, unlock, declare shut down / failed / comm-rev failure",
            guard: and(not(v.disabled), isIn(st(x), litSet(["RUN", "LCK"])), st(x).neq(s)),
            update: { state: except(v.state, x, s) },
          }),
        ),
        CellCpusFail: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "every CPU of running cell c traps fatally: the hypervisor marks c FAILED",
          guard: and(not(v.disabled), isIn(st(x), litSet(["RUN", "LCK", "SDC", "FCR"]))),
          update: { state: except(v.state, x, "FL") },
        })),
      };
    },
    invariants: ({ v, c }) => ({
      CellCountConsistent: {
        doc: "the cell count is one (the root) plus the existing non-root cells",
        p: v.count.eq(plus(1, cardinality(setFilter(c.Cells, (x) => apply(v.state, x).neq("absent"), "e")))),
      },
      DisableOnlyWhenAlone: {
        doc: "the hypervisor is disabled only when no non-root cell exists",
        p: implies(
          v.disabled,
          forall(c.Cells, (x) => apply(v.state, x).eq("absent"), "a"),
        ),
      },
      LockedCellBlocksReconfig: {
        doc: "create and destroy succeed only when no other cell was RUNNING_LOCKED at the check",
        p: implies(
          and(isIn(field(v.lastOp, "op"), setEnum<string>("create", "destroy")), field(v.lastOp, "result").eq("ok")),
          not(field(v.lastOp, "othersLocked")),
        ),
      },
      RootIsNeverATarget: {
        doc: "every operation targets a non-root cell of the configuration (or none)",
        p: isIn(field(v.lastOp, "target"), union(c.Cells, setEnum<string>("none"))),
      },
      ...(p.symmetry
        ? {
            NoFreeze: {
              doc: "every management call returns: the root cell never hangs ([]~hung as an invariant, for symmetry)",
              p: not(v.hung),
            },
          }
        : {}),
    }),
    properties: ({ v }) =>
      p.symmetry
        ? {}
        : {
            NoFreeze: {
              doc: "every management call returns: the root cell never hangs (fails with timeout 0 and an active cell)",
              always: not(v.hung),
            },
          },
    ...(p.symmetry ? { symmetry: "Cells" as const } : {}),
    checkDeadlock: false,
  });
}

/** Parameters of a voted operation: the target and the vote's outcome ("none" when nobody is asked). */
const votedParams = (cells: Ex<SetT<string>>): [string, Ex<SetT<unknown>>][] => [
  ["c", cells],
  ["vote", setEnum<string>("approve", "deny", "timeout", "hang", "none")],
];

/** `[op: Ops, target: Cells \cup {"none"}, result: Results, othersLocked: BOOLEAN]`, spelled with set maps. */
function recordSet(cells: Ex<SetT<string>>): Ex<SetT<LastOp>> {
  const targets = union(cells, setEnum<string>("none"));
  const forResult = (o: Ex<string>, t: Ex<string>) =>
    bigUnion(
      setMap(
        litSet([...results]),
        (r) => setMap(BOOLEAN, (l) => record<LastOp>({ op: o, target: t, result: r, othersLocked: l }), "l"),
        "r",
      ),
    );
  return bigUnion(setMap(litSet([...ops]), (o) => bigUnion(setMap(targets, (t) => forResult(o, t), "t")), "o"));
}
