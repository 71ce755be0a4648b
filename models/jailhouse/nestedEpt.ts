import {
  BOOLEAN,
  bigUnion,
  constFn,
  defineModel,
  type Ex,
  fnDef,
  fnSet,
  ite,
  lit,
  litSet,
  type Model,
  range,
  record,
  recordOf,
  type SetT,
  setEnum,
  setMap,
  setOf,
  subsets,
  union,
  type Value,
} from "../kernel/index.js";
import { type NestedEptConsts, type NestedEptVars, nestedEptActions, type Pending } from "./nestedEptActions.js";
import { nestedEptInvariants } from "./nestedEptInvariants.js";
import { nestedEptProperties } from "./nestedEptProperties.js";
import { type Entry, entry, entryKinds } from "./nestedEptWalk.js";

/** The must-fail twins of NestedEpt, one per way the seed's protocol is easy to get wrong. */
export const nestedEptBugs = ["tables", "revalidate", "sharing", "order"] as const;
export type NestedEptBug = (typeof nestedEptBugs)[number];

export interface NestedEptParams {
  /** CPUs of the KVM-hosting cell (1 or 2): one runs KVM while the other runs a nested guest. */
  readonly cpus: number;
  /** Pages a large (root-level) leaf spans (1: no large pages). */
  readonly largePages: number;
  /** Whether another cell's create can take the data page from the host cell (and destroy return it). */
  readonly shrink: boolean;
  /** KVM's entry writes (keeps the state space finite and small). */
  readonly writes: number;
  /**
   * Must-fail twin: `tables` protects only the root page; `revalidate` leaves EPTs valid when cell
   * create takes memory; `sharing` tracks a table page for the first EPT that uses it only;
   * `order` executes a trapped write before declaring the EPT invalid.
   */
  readonly bug?: NestedEptBug | undefined;
}

/**
 * The fixed guest-physical layout: pages 0 and 1 are the roots of two EPTs KVM builds, page 2 a
 * second-level table both share, page 3 a data page the cell may only read (and the one another
 * cell's create may take), page 4 another cell's memory, never the host cell's.
 */
const layout = {
  pages: [0, 1, 2, 3, 4],
  host: [0, 1, 2, 3],
  epts: [0, 1],
  readOnly: [3],
  movable: 3,
  tables: [0, 1, 2],
} as const;

const entryValue = (k: string, t: number, w: boolean): Value => recordOf({ k, t, w });

/** What KVM may write into an entry: remove it, point at the shared table, map the data page or another cell's page. */
const writable: readonly Value[] = [
  entryValue("none", 0, false),
  entryValue("ptr", 2, false),
  entryValue("leaf", 3, false),
  entryValue("leaf", 3, true),
  entryValue("leaf", 4, false),
];

const idle = (): Ex<Pending> =>
  record<Pending>({ cpu: lit("none"), pg: lit(-1), val: entry("none", 0, false), st: lit("idle") });

/**
 * NestedEpt: the seed's "Nested EPT" protocol for KVM in a Jailhouse cell. The hypervisor fully
 * validates a new EPT, notes it valid, write-protects and tracks its table pages; a trapped
 * write to a page no known EPT uses drops the protection, one that would break an EPT declares it
 * invalid and kicks the CPUs running on it before the write executes; nested guests run directly
 * on KVM's EPT. Another cell's create takes memory from the host cell and invalidates the EPTs
 * that reached it.
 */
export function nestedEpt(p: NestedEptParams): Model {
  const cpus = Array.from({ length: p.cpus }, (_, i) => `c${i + 1}`);
  const nums = (xs: readonly number[]) => setOf([...xs]);
  return defineModel<NestedEptVars, NestedEptConsts>({
    name: p.bug ? `NestedEptBug${p.bug[0]?.toUpperCase()}${p.bug.slice(1)}` : "NestedEpt",
    doc: "Validated nested EPT: KVM's EPTs used directly by nested guests after the hypervisor's walk.",
    header: [
      "State: the host cell's guest-physical memory, one EPT entry per page (a page is a table or data),",
      "two-level EPTs rooted at pages 0 and 1 sharing the table page 2, the hypervisor's knowledge of each",
      "EPT (unknown / valid / invalid), write-protected pages and which EPTs track them, per CPU the loaded",
      "EPT pointer and the EPT its nested guest runs on, the host cell's memory map, one trapped write.",
      "Left out: TLBs (INVEPT only lets the hypervisor forget an invalid EPT), execute-only and memory",
      "types, more than two levels (the per-entry check over 4 levels is proved bit-precisely instead),",
      "the nested guest's own writes to table pages through a writable leaf, and KVM's VMCS beyond the EPTP.",
      p.bug ? `MUST-FAIL TWIN (${p.bug}): ${bugDoc[p.bug]}` : "",
    ].join("\n"),
    constants: {
      Pages: { doc: "the guest-physical pages (page 4 belongs to another cell)", value: nums(layout.pages) },
      HostPages: { doc: "the host cell's memory before any other cell exists", value: nums(layout.host) },
      Epts: { doc: "the EPTs KVM builds, named by their root page", value: nums(layout.epts) },
      Cpus: { doc: "the host cell's CPUs", value: setOf(cpus) },
      ReadOnly: { doc: "pages the host cell may read but not write", value: nums(layout.readOnly) },
      Movable: {
        doc: "pages another cell's create may take from the host cell",
        value: nums(p.shrink ? [layout.movable] : []),
      },
      Tables: { doc: "the pages KVM writes entries into (EPT roots and the shared table)", value: nums(layout.tables) },
      Writable: { doc: "the entry values KVM writes", value: setOf(writable) },
      MaxWrites: { doc: "KVM's entry writes in one behaviour", value: p.writes },
    },
    variables: ({ c }) => ({
      mem: { doc: "the one entry each page holds", type: fnSet(c.Pages, entries(c.Pages)) },
      known: {
        doc: "what the hypervisor holds of each EPT",
        type: fnSet(c.Epts, litSet(["unknown", "valid", "invalid"])),
      },
      trackedBy: { doc: "the known EPTs each page is a table of", type: fnSet(c.Pages, subsets(c.Epts)) },
      prot: { doc: "pages write-protected in the host cell's second-stage tables", type: subsets(c.Pages) },
      eptp: { doc: "the EPT pointer loaded on each CPU", type: fnSet(c.Cpus, c.Epts) },
      run: {
        doc: "the EPT each CPU's nested guest runs on (-1: KVM or the host runs)",
        type: fnSet(c.Cpus, union(c.Epts, setEnum(-1))),
      },
      owned: { doc: "the host cell's memory map", type: subsets(c.Pages) },
      pend: { doc: "the trapped write being handled", type: pendings(c) },
      writes: { doc: "KVM's entry writes so far", type: range(0, c.MaxWrites) },
    }),
    init: ({ c }) => ({
      mem: fnDef(c.Pages, (q) => initialEntry(q), "q"),
      known: constFn(c.Epts, lit("unknown")),
      trackedBy: constFn(c.Pages, setEnum<number>()),
      prot: setEnum<number>(),
      eptp: constFn(c.Cpus, lit(0)),
      run: constFn(c.Cpus, lit(-1)),
      owned: c.HostPages,
      pend: idle(),
      writes: lit(0),
    }),
    actions: (s) => nestedEptActions(s, { largePages: p.largePages, bug: p.bug, idle: idle() }),
    invariants: (s) => nestedEptInvariants(s, p.largePages),
    properties: (s) => nestedEptProperties(s, p.largePages),
    // Strong fairness for c1's validation and entry: KVM may switch EPT pointers forever, which
    // keeps each of them only intermittently enabled.
    fairness: [
      ...(["HvTrap", "HvKick", "HvFinishWrite"] as const).map((action) => ({ kind: "weak" as const, action })),
      ...(["HvValidate", "NestedEnter"] as const).map((action) => ({ kind: "strong" as const, action })),
    ],
    checkDeadlock: false,
  });
}

const bugDoc: Readonly<Record<NestedEptBug, string>> = {
  tables: "validation write-protects only the root page, not the second-level table.",
  revalidate: "another cell's create takes memory without re-validating the EPTs that reach it.",
  sharing: "a table page already tracked for one EPT is not tracked for the second EPT that uses it.",
  order: "a trapped write executes before the EPT it breaks is declared invalid.",
};

/** Roots 0 and 1 point at table 2, which maps the data page read-only. */
const initialEntry = (q: Ex<number>): Ex<Entry> =>
  caseOfPage(q, [
    [0, entry("ptr", 2, false)],
    [1, entry("ptr", 2, false)],
    [2, entry("leaf", 3, false)],
  ]);

function caseOfPage(q: Ex<number>, arms: readonly (readonly [number, Ex<Entry>])[]): Ex<Entry> {
  return arms.reduceRight<Ex<Entry>>((rest, [page, e]) => ite(q.eq(page), e, rest), entry("none", 0, false));
}

/** `[k : {"none", "ptr", "leaf"}, t : Pages, w : BOOLEAN]`. */
function entries(pages: Ex<SetT<number>>): Ex<SetT<Entry>> {
  return bigUnion(
    setMap(
      litSet([...entryKinds]),
      (k) => bigUnion(setMap(pages, (t) => setMap(BOOLEAN, (w) => record<Entry>({ k, t, w }), "w"), "t")),
      "k",
    ),
  );
}

function pendings(c: { readonly Pages: Ex<SetT<number>>; readonly Cpus: Ex<SetT<string>> }): Ex<SetT<Pending>> {
  const cpus = union(c.Cpus, setEnum<string>("none"));
  const pgs = union(c.Pages, setEnum(-1));
  const sts = litSet(["idle", "trapped", "declared", "written"]);
  return bigUnion(
    setMap(
      cpus,
      (cpu) =>
        bigUnion(
          setMap(
            pgs,
            (pg) =>
              bigUnion(
                setMap(
                  entries(c.Pages),
                  (val) => setMap(sts, (st) => record<Pending>({ cpu, pg, val, st }), "st"),
                  "val",
                ),
              ),
            "pg",
          ),
        ),
      "cpu",
    ),
  );
}
