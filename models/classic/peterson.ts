import {
  and,
  apply,
  BOOLEAN,
  choose,
  constFn,
  defineModel,
  type Ex,
  except,
  type Fn,
  fnSet,
  forall,
  implies,
  lit,
  litSet,
  type Model,
  neq,
  not,
  or,
  type SetT,
  withParams,
} from "../kernel/index.js";

type Vars = { pc: Fn<number, string>; flag: Fn<number, boolean>; turn: number };

/**
 * Peterson's mutual-exclusion algorithm for two processes. Each process runs
 * idle → (raise flag) → set turn → wait → critical section → (lower flag) → idle.
 * Liveness: a waiting process eventually enters (holds under weak fairness of the protocol
 * steps), and every process enters infinitely often (fails: a process may stay idle forever,
 * since leaving the non-critical section is not fair).
 */
export function peterson(params: { readonly bug?: boolean | undefined } = {}): Model {
  const procs = { kind: "set" as const, elems: [0, 1] };
  return defineModel<Vars, { Procs: SetT<number> }>({
    name: params.bug ? "PetersonBug" : "Peterson",
    doc: "Peterson's two-process mutual exclusion with flags and a turn variable.",
    header: params.bug
      ? "Must-fail twin: the wait condition ignores the other's flag, so both can enter."
      : "Models each process's program counter; the critical section is one step long.",
    constants: { Procs: { doc: "the two processes, 0 and 1", value: procs } },
    variables: ({ c }) => ({
      pc: { doc: "program counter of each process", type: fnSet(c.Procs, litSet(["idle", "set", "wait", "cs"])) },
      flag: { doc: "each process's wish to enter", type: fnSet(c.Procs, BOOLEAN) },
      turn: { doc: "which process yields", type: c.Procs },
    }),
    init: ({ c }) => ({ pc: constFn(c.Procs, lit("idle")), flag: constFn(c.Procs, lit(false)), turn: lit(0) }),
    actions: ({ v, c }) => {
      const other = (p: Ex<number>): Ex<number> => choose(c.Procs, (q) => neq(q, p), "q");
      const at = (p: Ex<number>, l: string) => apply(v.pc, p).eq(l);
      return {
        Request: withParams<Vars>([["p", c.Procs]], (p: Ex<number>) => ({
          doc: "p leaves its non-critical section and raises its flag",
          guard: at(p, "idle"),
          update: { pc: except(v.pc, p, "set"), flag: except(v.flag, p, true) },
        })),
        SetTurn: withParams<Vars>([["p", c.Procs]], (p: Ex<number>) => ({
          doc: "p gives priority to the other process",
          guard: at(p, "set"),
          update: { pc: except(v.pc, p, "wait"), turn: other(p) },
        })),
        Enter: withParams<Vars>([["p", c.Procs]], (p: Ex<number>) => ({
          doc: "p enters when the other does not want to, or it is p's turn",
          guard: and(at(p, "wait"), params.bug ? v.turn.eq(v.turn) : or(not(apply(v.flag, other(p))), v.turn.eq(p))),
          update: { pc: except(v.pc, p, "cs") },
        })),
        Exit: withParams<Vars>([["p", c.Procs]], (p: Ex<number>) => ({
          doc: "p leaves the critical section and lowers its flag",
          guard: at(p, "cs"),
          update: { pc: except(v.pc, p, "idle"), flag: except(v.flag, p, false) },
        })),
      };
    },
    invariants: ({ v, c }) => ({
      MutualExclusion: {
        doc: "at most one process is in its critical section",
        p: forall(
          c.Procs,
          (p) => forall(c.Procs, (q) => implies(and(apply(v.pc, p).eq("cs"), apply(v.pc, q).eq("cs")), p.eq(q)), "q"),
          "p",
        ),
      },
    }),
    properties: ({ v }) => ({
      WaitingProcessEnters: {
        doc: "a process that waits eventually enters its critical section (holds)",
        leadsTo: [apply(v.pc, lit(0)).eq("wait"), apply(v.pc, lit(0)).eq("cs")],
      },
      AlwaysEventuallyEnters: {
        doc: "process 0 enters its critical section infinitely often (fails: it may stay idle)",
        alwaysEventually: apply(v.pc, lit(0)).eq("cs"),
      },
    }),
    fairness: [
      { kind: "weak", action: "SetTurn" },
      { kind: "weak", action: "Enter" },
      { kind: "weak", action: "Exit" },
    ],
    checkDeadlock: true,
  });
}
