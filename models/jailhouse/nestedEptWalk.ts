import {
  and,
  apply,
  caseOf,
  type Ex,
  except,
  type Fn,
  field,
  forall,
  implies,
  isIn,
  lit,
  not,
  notIn,
  plus,
  range,
  record,
  type SetT,
  setEnum,
} from "../kernel/index.js";

/**
 * One EPT entry as the NestedEpt model sees it: not present, a pointer to a next-level table
 * page, or a leaf (a 4 KiB page in a table page, a large page in a root page), with its write bit.
 * Read and execute are folded into "present": the cell's memory map grants both everywhere.
 */
export type Entry = { k: string; t: number; w: boolean };

/** The entry kinds: `none` (not present), `ptr` (next-level table), `leaf` (maps memory). */
export const entryKinds = ["none", "ptr", "leaf"] as const;

/** The entry literal `[k |-> kind, t |-> target, w |-> write]`. */
export const entry = (k: (typeof entryKinds)[number], t: number, w: boolean): Ex<Entry> =>
  record<Entry>({ k: lit(k), t: lit(t), w: lit(w) });

/** The not-present entry (target and write bit fixed so that it has one representation). */
export const noEntry = (): Ex<Entry> => entry("none", 0, false);

/** What the walk reads: the cell's memory (one entry per page), its memory map and its read-only pages. */
export interface WalkEnv {
  readonly mem: Ex<Fn<number, Entry>>;
  readonly owned: Ex<SetT<number>>;
  readonly readOnly: Ex<SetT<number>>;
  /** Pages a large (root-level) leaf spans. */
  readonly largePages: number;
}

/**
 * A leaf is acceptable when every page it maps is the cell's, written only where the cell may
 * write: one page at the last level, `largePages` pages from its target at the root. The large
 * span is a conjunction over constant offsets (not `t..t+n`), so the SMT encoding needs no
 * state-dependent range.
 */
const leafOk = (env: WalkEnv, x: Ex<Entry>, large: boolean): Ex<boolean> => {
  const pageOk = (q: Ex<number>) => and(isIn(q, env.owned), implies(field(x, "w"), notIn(q, env.readOnly)));
  return large && env.largePages > 1
    ? forall(range(0, env.largePages - 1), (i) => pageOk(plus(field(x, "t"), i)), "off")
    : pageOk(field(x, "t"));
};

/** The table pages of the EPT rooted at `e`: the root and, through a pointer, the second-level table. */
export const tablesOf = (env: WalkEnv, e: Ex<number>): Ex<SetT<number>> => {
  const top = apply(env.mem, e);
  return caseOf<SetT<number>>([[field(top, "k").eq("ptr"), setEnum(e, field(top, "t"))]], setEnum(e));
};

/**
 * The hypervisor's full validation walk of the two-level EPT rooted at `e`: every table page in
 * the cell's memory, no pointer at the last level, every leaf inside the cell's memory with at
 * most the cell's rights (large root leaves included). NestedIsolation is this predicate for
 * every EPT a nested guest runs on.
 */
export const acceptable = (env: WalkEnv, e: Ex<number>): Ex<boolean> => {
  const top = apply(env.mem, e);
  const second = apply(env.mem, field(top, "t"));
  return and(
    isIn(e, env.owned),
    caseOf<boolean>(
      [
        [field(top, "k").eq("leaf"), leafOk(env, top, true)],
        [
          field(top, "k").eq("ptr"),
          and(
            isIn(field(top, "t"), env.owned),
            not(field(second, "k").eq("ptr")),
            implies(field(second, "k").eq("leaf"), leafOk(env, second, false)),
          ),
        ],
      ],
      lit(true),
    ),
  );
};

/**
 * Whether EPT `e` stays acceptable after `p` is set to `v` without a new walk: a new pointer
 * always needs one (its table is not tracked yet), anything else is checked in place.
 */
export const keepsValid = (env: WalkEnv, e: Ex<number>, p: Ex<number>, v: Ex<Entry>): Ex<boolean> =>
  and(not(field(v, "k").eq("ptr")), acceptable({ ...env, mem: except(env.mem, p, v) }, e));
