/**
 * What `warden diff-core` compares after every step, in one shape for both cores: cells (names,
 * ids, loadable, comm-region words, CPUs), each cell's second-stage translation map (runs of
 * guest-physical → host-physical with R/W/X rights; page layout does not show), and every CPU
 * (owner, failed, suspended, running/parked). A cell's comm page is a hypervisor page whose
 * address is layout, so its runs show "comm" instead.
 */
import type { Hypervisor } from "../../hypervisor/index.js";
import type { CoreModule } from "../refinement/coreImplementation.js";
import type { HarnessObservation } from "./harnessProcess.js";

export interface Observation {
  readonly disabled: boolean;
  readonly hung: boolean;
  readonly cells: readonly {
    readonly name: string;
    readonly id: number;
    readonly loadable: boolean;
    readonly state: number;
    readonly msg: number;
    readonly reply: number;
    readonly cpus: readonly number[];
    /** "0xFROM 0xTO 0xPHYS|comm RWX" per run, guest-physical order. */
    readonly map: readonly string[];
  }[];
  readonly cpus: readonly {
    readonly cpu: number;
    readonly cell: string;
    readonly failed: boolean;
    readonly suspended: boolean;
    readonly mode: string;
  }[];
}

export interface ObservedDivergence {
  readonly step: number;
  readonly command: string;
  /** What differs, e.g. "result", "cells", "map of linux", "cpu 3 failed". */
  readonly field: string;
  readonly core: unknown;
  readonly upstream: unknown;
}

interface Run {
  readonly virt: bigint;
  readonly phys: bigint | "comm";
  readonly size: bigint;
  readonly flags: number;
}

const PAGE = 4096n;
const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Cuts the comm page out of the runs (its address is the hypervisor's business) and merges again. */
export function normalizeRuns(runs: readonly Run[], comm: bigint | undefined): string[] {
  const pieces: Run[] = [];
  for (const r of runs) {
    const end = r.virt + r.size;
    if (comm === undefined || r.phys === "comm" || comm + PAGE <= r.virt || end <= comm) {
      pieces.push(r);
      continue;
    }
    const at = (v: bigint) => (r.phys === "comm" ? r.phys : r.phys + (v - r.virt));
    if (r.virt < comm) pieces.push({ ...r, size: comm - r.virt });
    pieces.push({ virt: comm, phys: "comm", size: PAGE, flags: r.flags });
    if (comm + PAGE < end) pieces.push({ ...r, virt: comm + PAGE, phys: at(comm + PAGE), size: end - comm - PAGE });
  }
  const merged: Run[] = [];
  for (const p of pieces.sort((a, b) => (a.virt < b.virt ? -1 : 1))) {
    const last = merged.at(-1);
    if (
      last &&
      last.virt + last.size === p.virt &&
      last.flags === p.flags &&
      last.phys !== "comm" &&
      p.phys !== "comm" &&
      last.phys + last.size === p.phys
    )
      merged[merged.length - 1] = { ...last, size: last.size + p.size };
    else merged.push(p);
  }
  return merged.map(
    (r) => `${hex(r.virt)} ${hex(r.virt + r.size)} ${r.phys === "comm" ? "comm" : hex(r.phys)} ${r.flags}`,
  );
}

export type CommOf = (cell: string) => bigint | undefined;

export function fromHarness(o: HarnessObservation, commOf: CommOf): Observation {
  return {
    disabled: o.disabled,
    hung: o.hung,
    cells: o.cells.map((c) => ({
      name: c.name,
      id: c.id,
      loadable: c.loadable,
      state: c.state,
      msg: c.msg,
      reply: c.reply,
      cpus: [...c.cpus],
      map: normalizeRuns(
        c.map.map(([v, p, s, f]) => ({ virt: BigInt(v), phys: BigInt(p), size: BigInt(s), flags: f & 7 })),
        commOf(c.name),
      ),
    })),
    cpus: o.cpus.map((c) => ({ ...c })),
  };
}

export function fromCore(m: CoreModule, hv: Hypervisor, hung: boolean, commOf: CommOf): Observation {
  const cells = hv.s.cells;
  return {
    disabled: hv.s.disabled,
    hung,
    cells: cells.map((cell) => ({
      name: cell.name,
      id: cell.id,
      loadable: cell.loadable,
      state: m.readComm(hv, cell, "cellState"),
      msg: m.readComm(hv, cell, "msgToCell"),
      reply: m.readComm(hv, cell, "replyFromCell"),
      cpus: [...cell.cpus].sort((a, b) => a - b),
      map: normalizeRuns(
        m.mappedRuns(hv.s, hv.arch.paging, cell.pageTable).map((l) => ({
          virt: BigInt(l.gfn) * PAGE,
          phys: BigInt(l.frame) * PAGE,
          size: BigInt(l.count) * PAGE,
          flags: l.flags & 7,
        })),
        commOf(cell.name),
      ),
    })),
    cpus: [...hv.s.cpus]
      .sort(([a], [b]) => a - b)
      .map(([cpu, s]) => ({
        cpu,
        cell: cells.find((c) => c.cpus.has(cpu))?.name ?? "",
        failed: s.failed,
        suspended: s.suspended,
        mode: s.mode,
      })),
  };
}

/** The first field in which the two observations differ, or undefined. */
export function firstDifference(
  core: Observation,
  upstream: Observation,
): Omit<ObservedDivergence, "step" | "command"> | undefined {
  const names = (o: Observation) => o.cells.map((c) => c.name);
  if (JSON.stringify(names(core)) !== JSON.stringify(names(upstream)))
    return { field: "cells", core: names(core), upstream: names(upstream) };
  for (const [i, c] of core.cells.entries()) {
    const u = upstream.cells[i];
    if (!u) continue;
    for (const key of ["id", "loadable", "state", "msg", "reply", "cpus", "map"] as const) {
      if (JSON.stringify(c[key]) !== JSON.stringify(u[key]))
        return { field: key === "map" ? `map of ${c.name}` : `${c.name} ${key}`, core: c[key], upstream: u[key] };
    }
  }
  for (const c of core.cpus) {
    const u = upstream.cpus.find((x) => x.cpu === c.cpu);
    if (!u) return { field: `cpu ${c.cpu}`, core: c, upstream: "absent" };
    for (const key of ["cell", "failed", "suspended", "mode"] as const) {
      if (c[key] !== u[key]) return { field: `cpu ${c.cpu} ${key}`, core: c[key], upstream: u[key] };
    }
  }
  if (core.disabled !== upstream.disabled)
    return { field: "disabled", core: core.disabled, upstream: upstream.disabled };
  if (core.hung !== upstream.hung) return { field: "hung", core: core.hung, upstream: upstream.hung };
  return undefined;
}
