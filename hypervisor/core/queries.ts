/** The hypercalls that answer at once: HYPERVISOR_GET_INFO, CELL_GET_STATE, CPU_GET_INFO, DEBUG_CONSOLE_PUTC. */
import { cellFlags } from "../config/flags.js";
import { CPU_INFO_STAT_BASE, cellStateCodes, cpuStateCodes, HypervisorError, infoTypes } from "./abi.js";
import { readComm } from "./commRegion.js";
import { type Core, cellById, cellOfCpu, isRoot, requireRootCaller } from "./context.js";
import { poolUsedCount } from "./pagePool.js";

/** Warden does not model the remap pool's use (temporary mappings are released within each call). */
export const REMAP_POOL_FRAMES = 128;

export function hypervisorGetInfo(core: Core, type: bigint): number {
  switch (type) {
    case BigInt(infoTypes.MEM_POOL_SIZE):
      return core.s.poolUsed.length;
    case BigInt(infoTypes.MEM_POOL_USED):
      return poolUsedCount(core.s);
    case BigInt(infoTypes.REMAP_POOL_SIZE):
      return REMAP_POOL_FRAMES;
    case BigInt(infoTypes.REMAP_POOL_USED):
      return 0;
    case BigInt(infoTypes.NUM_CELLS):
      return core.s.cells.length;
    default:
      throw new HypervisorError("EINVAL");
  }
}

export function cellGetState(core: Core, cpu: number, id: bigint): number {
  requireRootCaller(core, cpu);
  const cell = id <= 0xffffffffn ? cellById(core, Number(id)) : undefined;
  if (!cell) throw new HypervisorError("ENOENT");
  const state = isRoot(core, cell) ? cellStateCodes.RUNNING : readComm(core, cell, "cellState");
  if (state > cellStateCodes.FAILED_COMM_REV) throw new HypervisorError("EINVAL");
  return state;
}

export function cpuGetInfo(core: Core, cpu: number, target: bigint, type: bigint): number {
  const state = target <= 0xffffffffn ? core.s.cpus.get(Number(target)) : undefined;
  if (!state) throw new HypervisorError("EINVAL");
  const caller = cellOfCpu(core, cpu);
  if (!isRoot(core, caller) && !caller.cpus.has(Number(target))) throw new HypervisorError("EPERM");
  if (type === 0n) return state.failed ? cpuStateCodes.FAILED : cpuStateCodes.RUNNING;
  const n = type - BigInt(CPU_INFO_STAT_BASE);
  if (n >= 0n && n < BigInt(core.arch.statNames.length)) return (state.stats[Number(n)] ?? 0) & 0x7fffffff;
  throw new HypervisorError("EINVAL");
}

export function debugConsolePutc(core: Core, cpu: number, char: bigint): number {
  if ((cellOfCpu(core, cpu).config.flags & cellFlags.VIRTUAL_CONSOLE_PERMITTED) === 0) {
    throw new HypervisorError("EPERM");
  }
  core.s.console += String.fromCharCode(Number(char & 0xffn));
  return 0;
}
