/**
 * The hypervisor core: enable from a system configuration, then one hypercall entry point with
 * upstream's codes and errno results. The architecture is given from outside (`hypervisor/arch/`).
 */
import type { SystemConfig } from "../config/types.js";
import { HypervisorError, hypercallCodes, hypercallName, stats } from "./abi.js";
import type { ArchOps } from "./archOps.js";
import { Call } from "./call.js";
import { cellCreate } from "./cellCreate.js";
import { cellDestroy, cellSetLoadable, cellStart } from "./cellManage.js";
import { archCellCreate, cellInit, newCellState } from "./cellStructures.js";
import { type Core, countStat, cpuState, type Mode } from "./context.js";
import { disable } from "./disable.js";
import { has, mapRegion } from "./memory.js";
import { IMAGE_FRAMES, PERCPU_FRAMES } from "./pagePool.js";
import { cellGetState, cpuGetInfo, debugConsolePutc, hypervisorGetInfo } from "./queries.js";
import type { HypervisorState } from "./state.js";
import { unitsInit } from "./units.js";

export class Hypervisor implements Core {
  private constructor(
    readonly s: HypervisorState,
    readonly arch: ArchOps,
    readonly mode: Mode,
  ) {}

  /**
   * Enables the hypervisor: the root cell owns every configured CPU and all of its configured
   * memory, devices, pins, ports and stream IDs. Throws -ENOMEM when `hypervisor_memory` is too
   * small for the page pool the root cell needs.
   */
  static enable(system: SystemConfig, arch: ArchOps, mode: Mode = "upstream"): Hypervisor {
    const rootConfig = system.root_cell;
    const reserved = IMAGE_FRAMES + PERCPU_FRAMES * rootConfig.cpus.length;
    const poolFrames = Number(system.hypervisor_memory.size / 4096n) - reserved;
    if (poolFrames <= 0) throw new HypervisorError("ENOMEM");
    const s: HypervisorState = {
      system,
      poolBase: Number(system.hypervisor_memory.phys_start / 4096n) + reserved,
      poolUsed: new Uint8Array(poolFrames),
      tables: new Map(),
      memory: new Map(),
      cpus: new Map(),
      cells: [],
      ivshmem: [],
      irqRoutes: new Map(),
      streamMatches: [],
      iommuContext: new Map(),
      console: "",
      disabled: false,
      shutdownState: new Map(),
      disableArrived: new Set(),
    };
    const core = new Hypervisor(s, arch, mode);
    for (const cpu of rootConfig.cpus) {
      s.cpus.set(cpu, {
        cell: rootConfig.id,
        failed: false,
        mode: "running",
        suspended: false,
        stats: arch.statNames.map(() => 0),
        interrupts: 0,
      });
    }
    // The root cell's structure is static in upstream, not taken from the page pool.
    const root = newCellState(rootConfig, []);
    s.cells.push(root);
    cellInit(core, root);
    archCellCreate(core, root);
    unitsInit(core, root);
    for (const m of rootConfig.memory_regions) if (!has(m, "COMM_REGION")) mapRegion(core, root, m);
    return core;
  }

  /**
   * Issues hypercall `code` on `cpu`. Management calls that must wait for a cell return a call in
   * state `waiting`; `poll()` it to let the hypervisor's loop run.
   */
  hypercall(cpu: number, code: number, arg1 = 0n, arg2 = 0n): Call {
    if (this.s.disabled) throw new Error("the hypervisor is disabled");
    const state = cpuState(this, cpu);
    if (state.mode !== "running" || state.suspended) {
      throw new Error(`CPU ${cpu} is ${state.suspended ? "suspended" : state.mode} and cannot issue hypercalls`);
    }
    countStat(this, cpu, stats.HYPERCALL);
    try {
      return new Call(cpu, hypercallName(code), this.dispatch(cpu, code, arg1, arg2));
    } catch (error) {
      if (error instanceof HypervisorError) return new Call(cpu, hypercallName(code), error.result);
      throw error;
    }
  }

  private dispatch(cpu: number, code: number, arg1: bigint, arg2: bigint): ReturnType<typeof disable> | number {
    switch (code) {
      case hypercallCodes.DISABLE:
        return disable(this, cpu);
      case hypercallCodes.CELL_CREATE:
        return cellCreate(this, cpu, arg1);
      case hypercallCodes.CELL_START:
        return cellStart(this, cpu, arg1);
      case hypercallCodes.CELL_SET_LOADABLE:
        return cellSetLoadable(this, cpu, arg1);
      case hypercallCodes.CELL_DESTROY:
        return cellDestroy(this, cpu, arg1);
      case hypercallCodes.HYPERVISOR_GET_INFO:
        return hypervisorGetInfo(this, arg1);
      case hypercallCodes.CELL_GET_STATE:
        return cellGetState(this, cpu, arg1);
      case hypercallCodes.CPU_GET_INFO:
        return cpuGetInfo(this, cpu, arg1, arg2);
      case hypercallCodes.DEBUG_CONSOLE_PUTC:
        return debugConsolePutc(this, cpu, arg1);
      default:
        return new HypervisorError("ENOSYS").result;
    }
  }
}
