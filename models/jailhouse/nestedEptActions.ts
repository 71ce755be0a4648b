import {
  type ActionSpec,
  and,
  apply,
  type Ex,
  except,
  type Fn,
  field,
  fnDef,
  forall,
  isIn,
  ite,
  lit,
  lt,
  not,
  notIn,
  or,
  type ParamAction,
  plus,
  record,
  type Scope,
  type SetT,
  setEnum,
  setminus,
  union,
  withParams,
} from "../kernel/index.js";
import type { NestedEptBug } from "./nestedEpt.js";
import { acceptable, type Entry, keepsValid, tablesOf, type WalkEnv } from "./nestedEptWalk.js";

/** The trapped write the hypervisor is handling: writer CPU, page, new entry, how far it got. */
export type Pending = { cpu: string; pg: number; val: Entry; st: string };

export type NestedEptVars = {
  mem: Fn<number, Entry>;
  known: Fn<number, string>;
  trackedBy: Fn<number, SetT<number>>;
  prot: SetT<number>;
  eptp: Fn<string, number>;
  run: Fn<string, number>;
  owned: SetT<number>;
  pend: Pending;
  writes: number;
};

export type NestedEptConsts = {
  Pages: SetT<number>;
  HostPages: SetT<number>;
  Epts: SetT<number>;
  Cpus: SetT<string>;
  ReadOnly: SetT<number>;
  Movable: SetT<number>;
  Tables: SetT<number>;
  Writable: SetT<Entry>;
  MaxWrites: number;
};

type S = Scope<NestedEptVars, NestedEptConsts>;
type A = ActionSpec<NestedEptVars> | ParamAction<NestedEptVars>;

export interface ActionOptions {
  readonly largePages: number;
  readonly bug: NestedEptBug | undefined;
  readonly idle: Ex<Pending>;
}

/** The walk's view of the current state (or of the memory map `owned`). */
export const walkEnv = (s: S, largePages: number, owned: Ex<SetT<number>> = s.v.owned): WalkEnv => ({
  mem: s.v.mem,
  owned,
  readOnly: s.c.ReadOnly,
  largePages,
});

/** KVM's side: entry writes (trapped on protected pages), EPT pointer loads, entering and leaving nested guests, INVEPT. */
function kvmActions({ v, c }: S): Record<string, A> {
  return {
    KvmWrite: withParams<NestedEptVars>(
      [
        ["c", c.Cpus],
        ["q", c.Tables],
        ["x", c.Writable],
      ],
      (cpu: Ex<string>, q: Ex<number>, x: Ex<Entry>) => {
        const trapped = isIn(q, v.prot);
        return {
          doc: "KVM on CPU c writes entry x into page q: executed at once unless q is write-protected, then trapped",
          guard: and(
            apply(v.run, cpu).eq(-1),
            field(v.pend, "st").eq("idle"),
            isIn(q, v.owned),
            lt(v.writes, c.MaxWrites),
            apply(v.mem, q).neq(x),
          ),
          update: {
            writes: plus(v.writes, 1),
            mem: ite(trapped, v.mem, except(v.mem, q, x)),
            pend: ite(trapped, record<Pending>({ cpu, pg: q, val: x, st: lit("trapped") }), v.pend),
          },
        };
      },
    ),
    KvmLoad: withParams<NestedEptVars>(
      [
        ["c", c.Cpus],
        ["e", c.Epts],
      ],
      (cpu: Ex<string>, e: Ex<number>) => ({
        doc: "KVM loads EPT pointer e into CPU c's VMCS (VMWRITE of the EPTP field)",
        guard: and(apply(v.run, cpu).eq(-1), apply(v.eptp, cpu).neq(e)),
        update: { eptp: except(v.eptp, cpu, e) },
      }),
    ),
    NestedEnter: withParams<NestedEptVars>([["c", c.Cpus]], (cpu: Ex<string>) => ({
      doc: "VMLAUNCH/VMRESUME on CPU c with a valid EPT: the nested guest runs directly on KVM's EPT",
      guard: and(
        apply(v.run, cpu).eq(-1),
        field(v.pend, "cpu").neq(cpu),
        apply(v.known, apply(v.eptp, cpu)).eq("valid"),
      ),
      update: { run: except(v.run, cpu, apply(v.eptp, cpu)) },
    })),
    NestedExit: withParams<NestedEptVars>([["c", c.Cpus]], (cpu: Ex<string>) => ({
      doc: "the nested guest on CPU c exits to KVM",
      guard: apply(v.run, cpu).neq(-1),
      update: { run: except(v.run, cpu, -1) },
    })),
    KvmInvept: withParams<NestedEptVars>([["e", c.Epts]], (e: Ex<number>) => ({
      doc: "KVM's INVEPT for an EPT the hypervisor holds invalid and no CPU runs on: the hypervisor forgets it",
      guard: and(
        apply(v.known, e).eq("invalid"),
        forall(c.Cpus, (d) => apply(v.run, d).neq(e), "d"),
      ),
      update: {
        known: except(v.known, e, "unknown"),
        trackedBy: fnDef(c.Pages, (q) => setminus(apply(v.trackedBy, q), setEnum(e)), "q"),
      },
    })),
  };
}

/** The hypervisor's side: validate, track, handle a trapped write, kick CPUs. */
function hypervisorActions(s: S, o: ActionOptions): Record<string, A> {
  const { v, c } = s;
  const env = walkEnv(s, o.largePages);
  const pg = field(v.pend, "pg");
  const val = field(v.pend, "val");
  const tracking = apply(v.trackedBy, pg);
  const invalidateBroken = fnDef(
    c.Epts,
    (e) =>
      ite(
        and(isIn(e, tracking), apply(v.known, e).eq("valid"), not(keepsValid(env, e, pg, val))),
        lit("invalid"),
        apply(v.known, e),
      ),
    "e",
  );
  const written = except(v.mem, pg, val);
  const withSt = (st: string) => record<Pending>({ cpu: field(v.pend, "cpu"), pg, val, st: lit(st) });
  const untracked = tracking.eq(setEnum<number>());
  return {
    HvTrap: {
      doc:
        o.bug === "order"
          ? "the trapped write: unprotect an unused page, else execute it first (bug) and declare later"
          : "the trapped write: a page no known EPT uses is unprotected and written; otherwise every EPT the write breaks is declared invalid",
      guard: field(v.pend, "st").eq("trapped"),
      update: {
        prot: ite(untracked, setminus(v.prot, setEnum(pg)), v.prot),
        mem: ite(untracked, written, o.bug === "order" ? written : v.mem),
        known: ite(untracked, v.known, o.bug === "order" ? v.known : invalidateBroken),
        pend: ite(untracked, o.idle, withSt(o.bug === "order" ? "written" : "declared")),
      },
    },
    HvFinishWrite:
      o.bug === "order"
        ? {
            doc: "the bug's late declaration: EPTs the executed write broke are declared invalid",
            guard: field(v.pend, "st").eq("written"),
            update: { known: invalidateBroken, pend: o.idle },
          }
        : {
            doc: "once no CPU runs on an invalid EPT, the trapped write executes and the writer resumes",
            guard: and(
              field(v.pend, "st").eq("declared"),
              // IF rather than \/: TLC's ENABLED evaluates both disjuncts, and known[-1] is outside its domain.
              forall(
                c.Cpus,
                (d) => ite(apply(v.run, d).eq(-1), lit(true), apply(v.known, apply(v.run, d)).eq("valid")),
                "d",
              ),
            ),
            update: { mem: written, pend: o.idle },
          },
    HvKick: withParams<NestedEptVars>([["c", c.Cpus]], (cpu: Ex<string>) => ({
      doc: "the hypervisor kicks CPU c out of a nested guest whose EPT is no longer valid",
      guard: and(apply(v.run, cpu).neq(-1), apply(v.known, apply(v.run, cpu)).neq("valid")),
      update: { run: except(v.run, cpu, -1) },
    })),
    HvValidate: withParams<NestedEptVars>([["c", c.Cpus]], (cpu: Ex<string>) => validate(s, o, env, cpu)),
    ...memoryMapActions(s, o),
  };
}

/** VMLAUNCH with an EPT not known valid: the full walk; a good EPT is noted valid and its table pages protected and tracked. */
function validate(s: S, o: ActionOptions, env: WalkEnv, cpu: Ex<string>): ActionSpec<NestedEptVars> {
  const { v, c } = s;
  const e = apply(v.eptp, cpu);
  const ok = acceptable(env, e);
  const tables = tablesOf(env, e);
  const protect = o.bug === "tables" ? setEnum(e) : tables;
  const track = (q: Ex<number>) => {
    const now = apply(v.trackedBy, q);
    const added = o.bug === "sharing" ? ite(now.eq(setEnum<number>()), setEnum(e), now) : union(now, setEnum(e));
    return ite(isIn(q, tables), added, now);
  };
  return {
    doc: "VMLAUNCH on CPU c with an EPT not known valid: the hypervisor walks it and notes it valid or invalid",
    guard: and(apply(v.run, cpu).eq(-1), field(v.pend, "st").eq("idle"), apply(v.known, e).neq("valid")),
    update: {
      known: except(v.known, e, ite(ok, lit("valid"), lit("invalid"))),
      prot: ite(ok, union(v.prot, protect), v.prot),
      trackedBy: ite(ok, fnDef(c.Pages, track, "q"), v.trackedBy),
    },
  };
}

/** Another cell's create takes a page from the host cell; its destroy gives it back with whatever that cell left in it. */
function memoryMapActions(s: S, o: ActionOptions): Record<string, A> {
  const { v, c } = s;
  return {
    CellCreate: withParams<NestedEptVars>([["q", c.Movable]], (q: Ex<number>) => {
      const smaller = setminus(v.owned, setEnum(q));
      const env = walkEnv(s, o.largePages, smaller);
      const stays = (e: Ex<number>) => or(apply(v.known, e).neq("valid"), acceptable(env, e));
      return {
        doc:
          o.bug === "revalidate"
            ? "another cell's create takes page q from the host cell (bug: EPTs reaching q stay valid)"
            : "another cell's create takes page q: EPTs that reach it become invalid and CPUs on them are kicked (the root's CPUs are suspended)",
        guard: and(isIn(q, v.owned), field(v.pend, "st").eq("idle")),
        update: {
          owned: smaller,
          ...(o.bug === "revalidate"
            ? {}
            : {
                known: fnDef(c.Epts, (e) => ite(stays(e), apply(v.known, e), lit("invalid")), "e"),
                run: fnDef(
                  c.Cpus,
                  (d) =>
                    ite(
                      apply(v.run, d).eq(-1),
                      lit(-1),
                      ite(acceptable(env, apply(v.run, d)), apply(v.run, d), lit(-1)),
                    ),
                  "d",
                ),
              }),
        },
      };
    }),
    CellDestroy: withParams<NestedEptVars>([["q", c.Movable]], (q: Ex<number>) => ({
      doc: "that cell is destroyed: page q returns to the host cell (a data page: what that cell left in it is never walked)",
      guard: and(notIn(q, v.owned), field(v.pend, "st").eq("idle")),
      update: { owned: union(v.owned, setEnum(q)) },
    })),
  };
}

/** Every action of NestedEpt. */
export function nestedEptActions(s: S, o: ActionOptions): Record<string, A> {
  return { ...kvmActions(s), ...hypervisorActions(s, o) };
}
