/**
 * CELL_CREATE (control.c `cell_create`, semantics.md §1.5), checks in upstream's order. Everything
 * before the commit point is undone exactly on failure; a failure while moving memory runs the
 * full destroy path, as upstream does.
 */
import {
  CELL_DESCRIPTOR_SIZE,
  cellDescriptorIdentity,
  cellDescriptorTotalSize,
  readCellAt,
} from "../config/binary/index.js";
import { cellStateCodes, HypervisorError, NUM_TEMPORARY_PAGES, PAGE_SIZE } from "./abi.js";
import { allocCell, archCellCreate, archCellDestroy, cellInit, freeCell } from "./cellStructures.js";
import { writeComm } from "./commRegion.js";
import {
  type Core,
  clearStats,
  cpuState,
  parkCpu,
  requireRootCaller,
  resumeCell,
  rootCell,
  suspendCell,
} from "./context.js";
import { destroyInternal } from "./destroyInternal.js";
import { broadcastReconfigCompleted, type Operation, reconfigOk } from "./exchange.js";
import { readGuest } from "./guestMemory.js";
import { has, mapRegion, unmapFromRoot } from "./memory.js";
import { strictCheck } from "./strict.js";
import { unitsInit } from "./units.js";
import { readVirtioExtension } from "./virtioUnit.js";

export function* cellCreate(core: Core, cpu: number, configAddress: bigint): Operation {
  requireRootCaller(core, cpu);
  const root = rootCell(core);
  suspendCell(core, root, cpu);
  try {
    if (!reconfigOk(core, undefined)) throw new HypervisorError("EPERM");
    const pageOffset = Number(configAddress % BigInt(PAGE_SIZE));
    const header = readGuest(core, root, configAddress, CELL_DESCRIPTOR_SIZE);
    if (!header) throw new HypervisorError("ENOMEM");
    const { name, id } = cellDescriptorIdentity(header);
    if (core.s.cells.some((c) => c.name === name || c.id === id)) throw new HypervisorError("EEXIST");
    const total = cellDescriptorTotalSize(header);
    if (Math.ceil((pageOffset + total) / PAGE_SIZE) > NUM_TEMPORARY_PAGES) throw new HypervisorError("E2BIG");
    const bytes = readGuest(core, root, configAddress, total);
    if (!bytes) throw new HypervisorError("ENOMEM");
    const config = readCellAt(bytes, core.s.system.arch);
    const devices = readVirtioExtension(core, root, configAddress + BigInt(total));
    const cell = allocCell(core, devices ? { ...config, warden_virtio: devices } : config, total);
    prepare(core, cpu, cell);
    // Commit point for CPUs: parked, taken from root, statistics cleared.
    for (const c of cell.cpus) {
      parkCpu(core, c);
      root.cpus.delete(c);
      cpuState(core, c).cell = cell.id;
      cpuState(core, c).failed = false;
      clearStats(core, c);
    }
    try {
      for (const m of cell.config.memory_regions) {
        if (!has(m, "COMM_REGION") && !has(m, "ROOTSHARED")) unmapFromRoot(core, m);
        mapRegion(core, cell, m);
      }
    } catch (error) {
      destroyInternal(core, cell);
      freeCell(core, cell);
      throw error;
    }
    // Nested EPTs of root that reached the memory just taken must not stay valid.
    core.arch.memoryShrunk?.(core, root);
    writeComm(core, cell, "cellState", cellStateCodes.SHUT_DOWN);
    core.s.cells.push(cell);
    yield* broadcastReconfigCompleted(core);
    return 0;
  } finally {
    resumeCell(core, root);
  }
}

/** Steps 7–12: everything that can fail before the commit point, undone exactly on failure. */
function prepare(core: Core, cpu: number, cell: ReturnType<typeof allocCell>): void {
  const root = rootCell(core);
  try {
    cellInit(core, cell);
  } catch (error) {
    freeCell(core, cell);
    throw error;
  }
  try {
    if (cell.cpus.has(cpu)) throw new HypervisorError("EBUSY");
    for (const c of cell.cpus) if (!root.cpus.has(c)) throw new HypervisorError("EBUSY");
    if (core.mode === "strict") strictCheck(core, cell);
    archCellCreate(core, cell);
  } catch (error) {
    freeCell(core, cell);
    throw error;
  }
  try {
    unitsInit(core, cell);
  } catch (error) {
    archCellDestroy(core, cell);
    freeCell(core, cell);
    throw error;
  }
}
