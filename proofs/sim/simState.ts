/** The observable state of a simulated machine after a step: cells and CPUs, as tables and as plain data. */
import { cellStateName, type Hypervisor, readComm } from "../../hypervisor/index.js";

export interface CellRow {
  readonly name: string;
  readonly id: number;
  readonly state: string;
  readonly loadable: boolean;
  readonly cpus: readonly number[];
}

export interface CpuRow {
  readonly cpu: number;
  readonly cell: string;
  readonly mode: string;
  readonly failed: boolean;
  readonly suspended: boolean;
}

export interface SimState {
  readonly cells: readonly CellRow[];
  readonly cpus: readonly CpuRow[];
}

export function simState(hv: Hypervisor): SimState {
  const cells = hv.s.cells.map((c, i) => ({
    name: c.name,
    id: c.id,
    state: i === 0 ? "ROOT" : cellStateName(readComm(hv, c, "cellState")),
    loadable: c.loadable,
    cpus: [...c.cpus].sort((a, b) => a - b),
  }));
  const cpus = [...hv.s.cpus.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cpu, s]) => ({
      cpu,
      cell: hv.s.cells.find((c) => c.id === s.cell)?.name ?? String(s.cell),
      mode: s.mode,
      failed: s.failed,
      suspended: s.suspended,
    }));
  return { cells, cpus };
}

export function formatState(state: SimState): string {
  const cellLines = state.cells.map(
    (c) =>
      `  cell ${c.id} ${c.name.padEnd(20)} ${c.state.padEnd(16)} cpus ${c.cpus.join(",") || "-"}${c.loadable ? " loadable" : ""}`,
  );
  const cpuLines = state.cpus.map(
    (c) =>
      `  cpu ${String(c.cpu).padEnd(3)} ${c.cell.padEnd(20)} ${c.mode}${c.failed ? " failed" : ""}${c.suspended ? " suspended" : ""}`,
  );
  return [...cellLines, ...cpuLines].join("\n");
}
