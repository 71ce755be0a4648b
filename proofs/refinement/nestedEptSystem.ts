/**
 * The system the NestedEpt conformance binding runs the core on, and the abstraction function:
 * the x86 example with KVM in the root cell (`warden_nested_vmx`) and a fixed layout that gives
 * each page of the model a concrete place. Model pages 0 and 1 are the level-2 tables (PDs) of
 * two 4-level EPTs whose PML4 and PDPT the agent writes once and never again, page 2 the shared
 * level-1 table (PT), page 3 a 2 MiB data region root may only read and a "taker" cell's create
 * takes, page 4 memory root never owns. Every model entry lives in entry 0 of its table page.
 */
import type * as Hypervisor from "../../hypervisor/index.js";
import type { CellConfig, ConfigSet, MemoryRegion } from "../../hypervisor/index.js";
import { functionOf, recordOf, setOf, type Value } from "../../models/index.js";
import { loadExampleSet } from "../pipeline/loadConfig.js";
import { eptLeaf, eptPointer, eptTable } from "../sim/kvmAgent.js";

/** What the binding needs of a core (a mutant copy supplies its own). */
export type NestedCore = Pick<
  typeof Hypervisor,
  | "Hypervisor"
  | "archFor"
  | "guestAccess"
  | "guestVmx"
  | "vmcsFieldByName"
  | "vmxOf"
  | "rootDriver"
  | "agentStep"
  | "cooperative"
  | "translate"
  | "readGuest"
>;

const T = 0x100000n;
const PAGE = 0x1000n;
/** PML4 and PDPT of EPT e. */
export const pml4 = (e: number): bigint => T + BigInt(e) * 0x2000n;
const pdpt = (e: number): bigint => pml4(e) + PAGE;
/** The table page of model page q (0, 1: PDs; 2: the PT). */
export const tablePage = (q: number): bigint => T + 0x4000n + BigInt(q) * PAGE;
export const vmcsPage = (cpu: number): bigint => T + 0x8000n + BigInt(cpu) * PAGE;
export const dataPage: Readonly<Record<number, bigint>> = { 3: 0x3e000000n, 4: 0x40000000n };
/** Model CPUs c1, c2 are root's CPUs 0 and 1; CPU 2 goes to the taker cell. */
export const cpuOf = { c1: 0, c2: 1 } as const;
export const cpuNames = ["c1", "c2"] as const;
export const TAKER = "taker";

export type Entry = { readonly k: "none" | "ptr" | "leaf"; readonly t: number; readonly w: boolean };

const levelOfPage = (q: number) => (q < 2 ? 2 : 1);

/** The 64-bit word the agent writes for model entry `x` in page q. */
export function encode(q: number, x: Entry): bigint {
  if (x.k === "none") return 0n;
  if (x.k === "ptr") return eptTable(tablePage(x.t));
  return eptLeaf(dataPage[x.t] as bigint, levelOfPage(q), x.w, false);
}

const entryWords = (q: number): [bigint, Entry][] => {
  const xs: Entry[] = [
    { k: "none", t: 0, w: false },
    { k: "ptr", t: 2, w: false },
  ];
  for (const t of [3, 4]) for (const w of [false, true]) xs.push({ k: "leaf", t, w });
  return xs.map((x) => [encode(q, x), x]);
};

function decode(q: number, word: bigint): Entry | undefined {
  return entryWords(q).find(([w]) => w === word)?.[1];
}

const R = 0x1n;
const RW = 0x3n;
const RWX = 0x7n;
const DMA = 0x8n;
const region = (phys_start: bigint, size: bigint, flags: bigint): MemoryRegion => ({
  phys_start,
  virt_start: phys_start,
  size,
  flags,
});

/** The x86 example with nested VMX in root, the table region without execute, page 3 read-only, and the taker cell. */
export function nestedEptSet(): { set: ConfigSet; taker: CellConfig } {
  const set = loadExampleSet("x86");
  const rootCell = set.system.config.root_cell;
  const [low, middle, ...rest] = rootCell.memory_regions;
  if (!low || !middle || low.phys_start !== 0n || middle.phys_start !== 0x3a600000n)
    throw new Error("the x86 example's root memory changed");
  const d3 = dataPage[3] as bigint;
  const memory = [
    region(0n, T, RWX | DMA),
    region(T, T, RW | DMA),
    region(2n * T, low.size - 2n * T, RWX | DMA),
    region(middle.phys_start, d3 - middle.phys_start, RWX | DMA),
    region(d3, 0x200000n, R),
    region(d3 + 0x200000n, middle.phys_start + middle.size - d3 - 0x200000n, RWX | DMA),
    ...rest,
  ];
  const rt = set.cells.find((c) => c.config.name === "rt-bare-metal")?.config;
  if (!rt) throw new Error("the x86 example lost rt-bare-metal");
  const commRegion = rt.memory_regions.find((m) => (m.flags & 0x20n) !== 0n);
  if (!commRegion) throw new Error("rt-bare-metal lost its comm region");
  const taker: CellConfig = {
    ...rt,
    name: TAKER,
    memory_regions: [{ phys_start: d3, virt_start: 0n, size: 0x200000n, flags: RWX }, commRegion],
  };
  const root = { ...rootCell, memory_regions: memory, warden_nested_vmx: true };
  return { set: { ...set, system: { ...set.system, config: { ...set.system.config, root_cell: root } } }, taker };
}

type Hv = ReturnType<NestedCore["Hypervisor"]["enable"]>;

/** Writes the fixed upper levels, the model's initial entries, and loads EPT 0 on both CPUs. */
export function setUp(core: NestedCore, hv: Hv): string | undefined {
  const w = (a: bigint, v: bigint) => core.guestAccess(hv, 0, a, 8, true, v).kind === "ok";
  const vmx = (cpu: number, i: Parameters<NestedCore["guestVmx"]>[2]) => core.guestVmx(hv, cpu, i).kind === "ok";
  const field = (name: string) => core.vmcsFieldByName(name) as number;
  const writes = [0, 1].every((e) => w(pml4(e), eptTable(pdpt(e))) && w(pdpt(e), eptTable(tablePage(e))));
  const initial = [0, 1, 2].every((q) =>
    w(tablePage(q), encode(q, q < 2 ? { k: "ptr", t: 2, w: false } : { k: "leaf", t: 3, w: false })),
  );
  const loaded = Object.values(cpuOf).every(
    (cpu) =>
      vmx(cpu, { op: "vmptrld", address: vmcsPage(cpu) }) &&
      vmx(cpu, { op: "vmwrite", field: field("CPU_BASED_VM_EXEC_CONTROL"), value: 1n << 31n }) &&
      vmx(cpu, { op: "vmwrite", field: field("SECONDARY_VM_EXEC_CONTROL"), value: 1n << 1n }) &&
      vmx(cpu, { op: "vmwrite", field: field("EPT_POINTER"), value: eptPointer(pml4(0)) }),
  );
  return writes && initial && loaded ? undefined : "setting up the bound system was refused";
}

const entryValue = (x: Entry): Value => recordOf({ k: x.k, t: x.t, w: x.w });
const pages = [0, 1, 2, 3, 4];

/** Ghosts the core does not keep: KVM's write count. */
export interface NestedGhosts {
  writes: number;
}

/** The model state of the core (variables in NestedEpt's order), or why there is none. */
export function abstraction(core: NestedCore, hv: Hv, g: NestedGhosts): Value[] | string {
  const root = hv.s.cells[0];
  if (!root) return "no root cell";
  const vmx = core.vmxOf(hv);
  const vc = vmx.cells.get(root.id);
  const mem: Entry[] = [];
  for (const q of pages) {
    if (q > 2) {
      mem.push({ k: "none", t: 0, w: false });
      continue;
    }
    const bytes = core.readGuest(hv, root, tablePage(q), 8);
    const word = bytes ? new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true) : undefined;
    const x = word === undefined ? undefined : decode(q, word);
    if (!x) return `page ${q} holds an entry outside the model (${word?.toString(16) ?? "unreadable"})`;
    mem.push(x);
  }
  const eptOf = (root?: bigint): number | undefined => [0, 1].find((e) => pml4(e) === root);
  const known = [0, 1].map((e) => {
    const k = vc?.epts.get(pml4(e));
    return k ? (k.valid ? "valid" : "invalid") : "unknown";
  });
  const tracked = pages.map((q) =>
    setOf(q > 2 ? [] : [0, 1].filter((e) => vc?.epts.get(pml4(e))?.tables.has(tablePage(q)) === true)),
  );
  const prot = pages.filter((q) => q <= 2 && vc?.protectedPages.has(Number(tablePage(q) / PAGE)) === true);
  const eptp: Value[] = [];
  const run: Value[] = [];
  for (const name of cpuNames) {
    const c = vmx.cpus.get(cpuOf[name]);
    const vmcs = c?.current === undefined ? undefined : vc?.vmcs.get(c.current);
    const loaded = eptOf(((vmcs?.fields.get(core.vmcsFieldByName("EPT_POINTER") as number) ?? 0n) >> 12n) << 12n);
    if (loaded === undefined) return `CPU ${name} has no EPT of the model loaded`;
    eptp.push(loaded);
    const on = c?.running === undefined ? -1 : eptOf(c.running);
    if (on === undefined) return `CPU ${name} runs a nested guest on an EPT outside the model`;
    run.push(on);
  }
  const owned = core.translate(hv.s, hv.arch.paging, root.pageTable, Number((dataPage[3] as bigint) / PAGE));
  const fn = (xs: readonly Value[], dom: readonly Value[] = pages) =>
    functionOf(dom.map((d, i) => [d, xs[i] as Value]));
  return [
    fn(mem.map(entryValue)),
    fn(known, [0, 1]),
    fn(tracked),
    setOf(prot),
    fn(eptp, [...cpuNames]),
    fn(run, [...cpuNames]),
    setOf(owned ? [0, 1, 2, 3] : [0, 1, 2]),
    recordOf({ cpu: "none", pg: -1, val: entryValue({ k: "none", t: 0, w: false }), st: "idle" }),
    g.writes,
  ];
}
