/**
 * The pool frames behind a cell: its structure (comm page first, then the cell object and the
 * copy of its configuration), the CPU-set page, the MMIO dispatch table and the page-table root.
 */
import type { CellConfig } from "../config/types.js";
import { HypervisorError, PAGE_SIZE } from "./abi.js";
import type { Core } from "./context.js";
import { isSubpage } from "./memory.js";
import { allocFrames, freeFrames } from "./pagePool.js";
import { destroyTable, newTable } from "./pageTable.js";
import type { CellState } from "./state.js";

/** `sizeof(struct cell)` as Warden sizes it: the 4 KiB comm page plus the cell object. */
export const CELL_STRUCT_BYTES = PAGE_SIZE + 512;
/** Bytes per MMIO dispatch entry (location + handler). */
const MMIO_ENTRY_BYTES = 32;
/** A CPU set larger than one `unsigned long` gets its own page. */
const SMALL_CPU_SET_BYTES = 8;

export function cellFrameCount(configSize: number): number {
  return Math.ceil((CELL_STRUCT_BYTES + configSize) / PAGE_SIZE);
}

/** A cell object on freshly allocated frames; nothing else is touched. Throws -ENOMEM. */
export function allocCell(core: Core, config: CellConfig, configSize: number): CellState {
  return newCellState(config, allocFrames(core.s, cellFrameCount(configSize)));
}

/** A cell's state before any unit has run: its CPUs, no page tables yet, no resources. */
export function newCellState(config: CellConfig, dataFrames: number[]): CellState {
  return {
    id: config.id,
    name: config.name,
    config,
    cpus: new Set(config.cpus),
    loadable: false,
    pageTable: -1,
    dataFrames,
    extraFrames: [],
    mmio: [],
    pci: new Set(),
    pins: new Map(),
    pio: new Uint8Array(8192),
    streams: new Set(),
  };
}

/** `cell_init`: CPU-set size check and page, MMIO table sized for sub-page regions and trapped devices. */
export function cellInit(core: Core, cell: CellState): void {
  const c = cell.config;
  if (c.cpu_set_size > PAGE_SIZE) throw new HypervisorError("EINVAL");
  const frames: number[] = [];
  try {
    if (c.cpu_set_size > SMALL_CPU_SET_BYTES) frames.push(...allocFrames(core.s, 1));
    const mmioEntries = c.memory_regions.filter(isSubpage).length + c.irqchips.length + 1;
    frames.push(...allocFrames(core.s, Math.ceil((mmioEntries * MMIO_ENTRY_BYTES) / PAGE_SIZE)));
  } catch (error) {
    freeFrames(core.s, frames);
    throw error;
  }
  cell.extraFrames.push(...frames);
}

/** `arch_cell_create`: the page-table root, then the architecture's own structures. */
export function archCellCreate(core: Core, cell: CellState): void {
  cell.pageTable = newTable(core.s);
  try {
    core.arch.cellCreate(core, cell);
  } catch (error) {
    destroyTable(core.s, cell.pageTable);
    throw error;
  }
}

export function archCellDestroy(core: Core, cell: CellState): void {
  core.arch.cellDestroy(core, cell);
  destroyTable(core.s, cell.pageTable);
}

/** `cell_exit` plus freeing the structure: every frame the cell held goes back to the pool. */
export function freeCell(core: Core, cell: CellState): void {
  freeFrames(core.s, cell.extraFrames);
  cell.extraFrames = [];
  freeFrames(core.s, cell.dataFrames);
}
