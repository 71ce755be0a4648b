import { and, apply, type Ex, field, lit, not, or, type PropertySpec, type Scope, setEnum } from "../kernel/index.js";
import type { NestedEptConsts, NestedEptVars } from "./nestedEptActions.js";
import { walkEnv } from "./nestedEptActions.js";
import { acceptable } from "./nestedEptWalk.js";

type S = Scope<NestedEptVars, NestedEptConsts>;

/**
 * NestedEpt's liveness, under weak fairness of the hypervisor's steps and of CPU c1's entry: a
 * trapped write to a page no known EPT uses completes (the page unprotected), and an EPT that
 * passes the walk and is loaded on c1 ends up running there unless it stops passing.
 */
export function nestedEptProperties(s: S, largePages: number): Record<string, PropertySpec> {
  const { v } = s;
  const env = walkEnv(s, largePages);
  const c1 = lit("c1");
  const loaded: Ex<number> = apply(v.eptp, c1);
  return {
    UnusedPageUnprotected: {
      doc: "a trapped write to a page of no known EPT is eventually unprotected and executed",
      leadsTo: [
        and(field(v.pend, "st").eq("trapped"), apply(v.trackedBy, field(v.pend, "pg")).eq(setEnum<number>())),
        field(v.pend, "st").eq("idle"),
      ],
    },
    ValidEptRuns: {
      doc: "an EPT that passes the walk and is loaded on c1 (which KVM runs on, not writing) is eventually run there, or stops passing",
      leadsTo: [
        and(apply(v.run, c1).eq(-1), field(v.pend, "cpu").neq(c1), acceptable(env, loaded)),
        or(apply(v.run, c1).neq(-1), not(acceptable(env, loaded))),
      ],
    },
  };
}
