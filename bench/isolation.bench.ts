/**
 * Isolation proofs on synthetic configuration sets of growing size and four shapes, each once
 * disjoint (every obligation unsat: both the solver and the sweep line do the whole work) and once
 * with one planted overlap between two cells (it must be found, with its witness, at every size).
 * Shapes: `blocks` (64 cells, each a contiguous run of regions: the bench's original shape),
 * `interleaved` (64 cells, region i belongs to cell i mod 64, so every neighbour changes owner),
 * `small cells` (16 regions per cell, many cells), `one per cell` (one region per cell). In the
 * within-cell rules every region is its own owner in every shape. "regions" counts all non-root
 * regions of the set. WARDEN_ISOLATION_BENCH=10000,20000 chooses the sizes (default below).
 * Each case runs on the in-process wasm Z3 and, when a native z3 is on PATH (or WARDEN_Z3 names
 * one), again on it: the same scripts, so the two columns compare solvers, not encodings.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type CellConfig, type ConfigSet, memFlags } from "../hypervisor/index.js";
import { loadExampleSet, proveIsolation } from "../proofs/index.js";
import { printTable } from "./table.js";

type Shape = "blocks" | "interleaved" | "small cells" | "one per cell";

export function synthetic(shape: Shape, total: number, planted: boolean): ConfigSet {
  const base = loadExampleSet("x86");
  const template = base.cells[0]?.config as CellConfig;
  const root = base.system.config.root_cell;
  const cells = shape === "small cells" ? Math.ceil(total / 16) : shape === "one per cell" ? total : 64;
  const cellOf = (r: number) =>
    shape === "interleaved"
      ? r % 64
      : shape === "blocks"
        ? Math.floor((r * 64) / total)
        : shape === "small cells"
          ? Math.floor(r / 16)
          : r;
  const regions: CellConfig["memory_regions"][number][][] = Array.from({ length: cells }, () => []);
  for (let r = 0; r < total; r++) {
    const i = BigInt(r);
    regions[cellOf(r)]?.push({
      phys_start: 0x100000000n + i * 0x2000n,
      virt_start: i * 0x2000n,
      size: 0x1000n,
      flags: memFlags.READ,
    });
  }
  if (planted) {
    // Cell 1's first region moved onto cell 0's first region, half a page in.
    const first = regions[0]?.[0];
    const victim = regions[1];
    if (first && victim?.[0]) victim[0] = { ...victim[0], phys_start: first.phys_start + 0x800n };
  }
  const made = regions.map((memory_regions, c) => ({
    config: { ...template, name: `cell${c}`, cpus: [], pio_regions: [], pci_devices: [], memory_regions },
    origin: { file: `cell${c}.yaml`, format: "yaml" as const },
  }));
  const rootRam = {
    phys_start: 0x100000000n,
    virt_start: 0x100000000n,
    size: BigInt(total) * 0x2000n,
    flags: memFlags.READ | memFlags.WRITE,
  };
  return {
    system: {
      ...base.system,
      config: { ...base.system.config, root_cell: { ...root, memory_regions: [...root.memory_regions, rootRam] } },
    },
    cells: made,
  };
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** CPU ms of this process and its finished children (native z3 runs in children; Linux /proc). */
function cpuMs(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second here).
    children = ((Number(fields[13]) || 0) + (Number(fields[14]) || 0)) * 10;
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1000 + children;
}

export default async function bench(): Promise<void> {
  const sizes = (process.env.WARDEN_ISOLATION_BENCH ?? "10000,20000,100000").split(",").map(Number);
  const shapes: Shape[] = ["blocks", "interleaved", "small cells", "one per cell"];
  const given = process.env.WARDEN_Z3;
  const native = given ?? (spawnSync("z3", ["-version"]).status === 0 ? "z3" : undefined);
  const solvers = native ? [undefined, native] : [undefined];
  const rows: (string | number)[][] = [];
  for (const total of sizes) {
    for (const shape of shapes) {
      for (const [planted, solver] of [false, true].flatMap((p) => solvers.map((s) => [p, s] as const))) {
        if (solver) process.env.WARDEN_Z3 = solver;
        else delete process.env.WARDEN_Z3;
        const set = synthetic(shape, total, planted);
        const cpu0 = cpuMs();
        const t0 = performance.now();
        let verdict: string;
        let slowest = "";
        let witness = "";
        try {
          const results = await proveIsolation(set);
          const bad = results.filter((r) => r.verdict === "violated").map((r) => r.rule.id);
          verdict = bad.length === 0 ? "proved" : `violated ${bad.join(",")}`;
          const mem = results.find((r) => r.rule.id === "WRD-MEM-DISJOINT");
          const w = mem?.witnesses[0];
          if (w) witness = `0x${w.at.toString(16)} ${[w.first.cell, w.second.cell].sort().join("/")}`;
          const top = [...results].sort((a, b) => b.ms - a.ms)[0];
          slowest = top ? `${top.rule.id} ${top.ms} ms (${top.encoding}, ${top.parts.length} parts)` : "";
        } catch (error) {
          verdict = `CRASH ${(error as Error).message.slice(0, 60)}`;
        }
        const ms = performance.now() - t0;
        const cpu = cpuMs() - cpu0;
        rows.push([
          solver ? "native" : "wasm",
          shape,
          set.cells.length,
          total,
          planted ? "planted" : "disjoint",
          verdict,
          witness || "-",
          Math.round(ms),
          Math.round(cpu),
          mb(process.resourceUsage().maxRSS * 1024),
          slowest,
        ]);
        process.stderr.write(
          `[bench] isolation ${solver ? "native" : "wasm"} ${shape} ${total} ${planted ? "planted" : "disjoint"}: ${Math.round(ms)} ms\n`,
        );
      }
    }
  }
  printTable(
    "Isolation proofs: all 16 obligations (Z3 and the sweep line) on synthetic sets",
    [
      "Z3",
      "shape",
      "cells",
      "regions",
      "set",
      "verdict",
      "WRD-MEM-DISJOINT witness",
      "wall ms",
      "CPU ms (with z3)",
      "peak RSS MB",
      "slowest rule",
    ],
    rows,
  );
  if (given) process.env.WARDEN_Z3 = given;
  else delete process.env.WARDEN_Z3;
}
