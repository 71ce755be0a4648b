import { and, apply, type Ex, field, forall, implies, isIn, or, type Scope } from "../kernel/index.js";
import type { NestedEptConsts, NestedEptVars } from "./nestedEptActions.js";
import { walkEnv } from "./nestedEptActions.js";
import { acceptable, keepsValid, tablesOf } from "./nestedEptWalk.js";

type S = Scope<NestedEptVars, NestedEptConsts>;
type Inv = { readonly doc: string; readonly p: Ex<boolean> };

/** NestedEpt's safety properties, then the lemmas that make NestedIsolation inductive. */
/** NestedIsolation and the invariants with which it is inductive (relative to TypeOK), each with the others. */
export const nestedIsolationLemmas: readonly string[] = [
  "NestedIsolation",
  "NoStaleValid",
  "TablePagesProtected",
  "RunningProtected",
  "DeclaredWriteKeepsValid",
];

export function nestedEptInvariants(s: S, largePages: number): Record<string, Inv> {
  const { v, c } = s;
  const env = walkEnv(s, largePages);
  const running = (body: (e: Ex<number>) => Ex<boolean>) =>
    forall(c.Cpus, (d) => implies(apply(v.run, d).neq(-1), body(apply(v.run, d))), "d");
  const valid = (body: (e: Ex<number>) => Ex<boolean>) =>
    forall(c.Epts, (e) => implies(apply(v.known, e).eq("valid"), body(e)), "e");
  const protectedFor = (e: Ex<number>) =>
    forall(tablesOf(env, e), (q) => and(isIn(q, v.prot), isIn(e, apply(v.trackedBy, q))), "t");
  return {
    NestedIsolation: {
      doc: "every EPT a nested guest runs on maps only the host cell's memory with at most its rights, through tables in its memory",
      p: running((e) => acceptable(env, e)),
    },
    NoStaleValid: {
      doc: "every EPT the hypervisor holds valid passes the full validation walk in the current state",
      p: valid((e) => acceptable(env, e)),
    },
    TablePagesProtected: {
      doc: "every table page of a valid EPT is write-protected and tracked for that EPT",
      p: valid(protectedFor),
    },
    RunningProtected: {
      doc: "lemma: the table pages of an EPT a nested guest runs on are protected and tracked for it",
      p: running(protectedFor),
    },
    RunningValidOrDeclared: {
      doc: "lemma: a nested guest runs on a valid EPT, or on one just declared invalid while its write waits",
      p: running((e) => or(apply(v.known, e).eq("valid"), field(v.pend, "st").eq("declared"))),
    },
    DeclaredWriteKeepsValid: {
      doc: "lemma: a write waiting for the kicks keeps every valid EPT that tracks its page valid",
      p: implies(
        field(v.pend, "st").eq("declared"),
        forall(
          apply(v.trackedBy, field(v.pend, "pg")),
          (e) => implies(apply(v.known, e).eq("valid"), keepsValid(env, e, field(v.pend, "pg"), field(v.pend, "val"))),
          "e",
        ),
      ),
    },
  };
}
