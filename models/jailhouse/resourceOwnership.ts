import {
  and,
  apply,
  BOOLEAN,
  cardinality,
  caseOf,
  constFn,
  defineModel,
  type Ex,
  except,
  exists,
  type Fn,
  fnDef,
  fnSet,
  forall,
  implies,
  intersect,
  isIn,
  ite,
  lit,
  type Model,
  not,
  notIn,
  type SetT,
  setEnum,
  setFilter,
  setminus,
  subseteq,
  subsets,
  union,
  withParams,
} from "../kernel/index.js";

/**
 * The resources of a configuration set, abstracted for the ownership model: CPUs, memory cut into
 * the overlap classes the configuration actually has, PCI devices, IRQ pins, PIO ranges, stream
 * IDs; per non-root cell what it takes exclusively and what it shares (ROOTSHARED, ivshmem).
 */
export interface OwnershipSpec {
  readonly cells: readonly string[];
  readonly cpus: readonly string[];
  readonly resources: readonly string[];
  /** Resources each cell takes from the root (CPUs included). */
  readonly takes: Readonly<Record<string, readonly string[]>>;
  /** Resources each cell maps while the root keeps them (ROOTSHARED memory, ivshmem regions). */
  readonly shares: Readonly<Record<string, readonly string[]>>;
  /** What the root's own configuration lists. */
  readonly rootOriginal: readonly string[];
  /** upstream: memory, devices, pins and ports are taken silently; strict: -EBUSY when another cell holds them. */
  readonly mode: "upstream" | "strict";
  /** Must-fail twin: create does not take the CPUs away from the root. */
  readonly bugCreateKeepsRootCpus?: boolean | undefined;
}

type Vars = { exists: Fn<string, boolean>; holders: Fn<string, SetT<string>> };
type Consts = {
  Cells: SetT<string>;
  Cpus: SetT<string>;
  Resources: SetT<string>;
  Takes: Fn<string, SetT<string>>;
  Shares: Fn<string, SetT<string>>;
  RootOriginal: SetT<string>;
};

const set = (xs: readonly string[]) => ({ kind: "set" as const, elems: [...new Set(xs)].sort() });
const fn = (cells: readonly string[], of: (c: string) => readonly string[]) => ({
  kind: "function" as const,
  domain: [...cells].sort(),
  values: [...cells].sort().map((c) => set(of(c))),
});

/**
 * ResourceOwnership: who holds every resource as cells are created and destroyed, as upstream's
 * control.c transfers them (CPUs exclusively; everything else taken from the root without
 * checking other cells, given back only where the root's configuration had it) or as strict mode
 * does (-EBUSY for a resource another non-root cell holds).
 */
export function resourceOwnership(s: OwnershipSpec): Model {
  return defineModel<Vars, Consts>({
    name: `ResourceOwnership${s.mode === "strict" ? "Strict" : ""}${s.bugCreateKeepsRootCpus ? "Bug" : ""}`,
    doc: "Ownership of CPUs, memory classes, devices, pins, ports and stream IDs under create and destroy.",
    header: [
      `Mode: ${s.mode}. Resources are the configuration's own: memory is cut into the overlap classes the`,
      "regions actually form. Holders are sets because upstream lets two cells map the same memory.",
      "Left out: the vote (CellLifecycle), cell states other than exists, LOADABLE moves on start.",
      s.bugCreateKeepsRootCpus ? "MUST-FAIL TWIN: create leaves the CPUs with the root." : "",
    ].join("\n"),
    constants: {
      Cells: { doc: "the non-root cells", value: set(s.cells) },
      Cpus: { doc: "the configured CPUs", value: set(s.cpus) },
      Resources: { doc: "every resource, CPUs included", value: set([...s.cpus, ...s.resources]) },
      Takes: { doc: "what each cell takes from the root", value: fn(s.cells, (c) => s.takes[c] ?? []) },
      Shares: { doc: "what each cell maps while the root keeps it", value: fn(s.cells, (c) => s.shares[c] ?? []) },
      RootOriginal: { doc: "what the root cell's configuration lists", value: set(s.rootOriginal) },
    },
    variables: ({ c }) => ({
      exists: { doc: "whether each non-root cell exists", type: fnSet(c.Cells, BOOLEAN) },
      holders: {
        doc: 'the cells (and "root") that have each resource',
        type: fnSet(c.Resources, subsets(union(c.Cells, setEnum<string>("root")))),
      },
    }),
    init: ({ c }) => ({
      exists: constFn(c.Cells, lit(false)),
      holders: fnDef(c.Resources, (r) => ite(isIn(r, c.RootOriginal), setEnum<string>("root"), setEnum<string>()), "r"),
    }),
    actions: ({ v, c }) => {
      const takes = (x: Ex<string>) => apply(c.Takes, x);
      const shares = (x: Ex<string>) => apply(c.Shares, x);
      const cpusOf = (x: Ex<string>) => intersect(takes(x), c.Cpus);
      const heldByOther = (x: Ex<string>, r: Ex<string>) =>
        exists(c.Cells, (d) => and(d.neq(x), isIn(d, apply(v.holders, r))), "d");
      return {
        CellCreate: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => {
          const rootHasCpus = forall(cpusOf(x), (cpu) => apply(v.holders, cpu).eq(setEnum<string>("root")), "cpu");
          const conflict =
            s.mode === "strict" ? exists(setminus(takes(x), c.Cpus), (r) => heldByOther(x, r), "q") : lit(false);
          return {
            doc: "the root creates c: its CPUs must all be the root's (-EBUSY); strict mode also refuses resources another cell holds",
            guard: and(not(apply(v.exists, x)), rootHasCpus, not(conflict)),
            update: {
              exists: except(v.exists, x, true),
              holders: fnDef(
                c.Resources,
                (r) =>
                  caseOf<SetT<string>>(
                    [
                      [
                        isIn(r, takes(x)),
                        s.bugCreateKeepsRootCpus
                          ? ite(
                              isIn(r, c.Cpus),
                              union(apply(v.holders, r), setEnum(x)),
                              union(setminus(apply(v.holders, r), setEnum<string>("root")), setEnum(x)),
                            )
                          : union(setminus(apply(v.holders, r), setEnum<string>("root")), setEnum(x)),
                      ],
                      [isIn(r, shares(x)), union(apply(v.holders, r), setEnum(x))],
                    ],
                    apply(v.holders, r),
                  ),
                "r",
              ),
            },
          };
        }),
        CellDestroy: withParams<Vars>([["c", c.Cells]], (x: Ex<string>) => ({
          doc: "the root destroys c: everything c held returns to the root where the root's configuration has it",
          guard: apply(v.exists, x),
          update: {
            exists: except(v.exists, x, false),
            holders: fnDef(
              c.Resources,
              (r) =>
                ite(
                  and(isIn(x, apply(v.holders, r)), isIn(r, c.RootOriginal)),
                  union(setminus(apply(v.holders, r), setEnum(x)), setEnum<string>("root")),
                  setminus(apply(v.holders, r), setEnum(x)),
                ),
              "r",
            ),
          },
        })),
      };
    },
    invariants: ({ v, c }) => ({
      CpuOwnedByOneCell: {
        doc: "every configured CPU belongs to exactly one cell, root included",
        p: forall(c.Cpus, (cpu) => cardinality(apply(v.holders, cpu)).eq(1), "cpu"),
      },
      NoUndeclaredSharing: {
        doc: "no resource is held by two non-root cells unless both configurations share it",
        p: forall(
          c.Resources,
          (r) =>
            forall(
              c.Cells,
              (a) =>
                forall(
                  c.Cells,
                  (b) =>
                    implies(
                      and(a.neq(b), isIn(a, apply(v.holders, r)), isIn(b, apply(v.holders, r))),
                      and(isIn(r, apply(c.Shares, a)), isIn(r, apply(c.Shares, b))),
                    ),
                  "b",
                ),
              "a",
            ),
          "r",
        ),
      },
      RootRegainsItsOwn: {
        doc: "when no non-root cell exists, the root holds exactly what its configuration lists",
        p: implies(
          forall(c.Cells, (x) => not(apply(v.exists, x)), "x"),
          forall(
            c.Resources,
            (r) => apply(v.holders, r).eq(ite(isIn(r, c.RootOriginal), setEnum<string>("root"), setEnum<string>())),
            "r",
          ),
        ),
      },
      RootNeverGainsForeign: {
        doc: "the root never holds what its configuration does not list",
        p: forall(c.Resources, (r) => implies(notIn(r, c.RootOriginal), notIn("root", apply(v.holders, r))), "r"),
      },
      RootIsolated: {
        doc: "the root holds nothing a non-root cell has taken (not shared): upstream breaks this when overlapping cells are destroyed",
        p: forall(
          c.Cells,
          (x) =>
            forall(
              apply(c.Takes, x),
              (r) => implies(isIn(x, apply(v.holders, r)), notIn("root", apply(v.holders, r))),
              "r",
            ),
          "x",
        ),
      },
      RootOriginalHeld: {
        doc: "strengthening lemma (with HoldersExist and RootNeverGainsForeign it makes RootRegainsItsOwn inductive): every resource the root's configuration lists is held by the root or by a cell",
        p: forall(c.RootOriginal, (r) => not(apply(v.holders, r).eq(setEnum<string>())), "r"),
      },
      HeldOnlyAsConfigured: {
        doc: "strengthening lemma (with it NoUndeclaredSharing and RootIsolated are inductive on the example configuration, in both modes): a non-root cell holds only what its configuration takes or shares",
        p: forall(
          c.Resources,
          (r) =>
            forall(
              c.Cells,
              (x) => implies(isIn(x, apply(v.holders, r)), isIn(r, union(apply(c.Takes, x), apply(c.Shares, x)))),
              "x",
            ),
          "r",
        ),
      },
      HoldersExist: {
        doc: "only existing cells hold resources",
        p: forall(
          c.Resources,
          (r) => subseteq(setminus(apply(v.holders, r), setEnum<string>("root")), setFilterExists(v.exists, c.Cells)),
          "r",
        ),
      },
    }),
    checkDeadlock: false,
  });
}

const setFilterExists = (ex: Ex<Fn<string, boolean>>, cells: Ex<SetT<string>>): Ex<SetT<string>> =>
  setFilter(cells, (x) => apply(ex, x), "e");
