/** The executable core: what `hypervisor/arch/` implements against and what users drive. */
export * from "./abi.js";
export type { ArchOps, ArchUnit, GuestOutcome, VmxInstruction } from "./archOps.js";
export { Call, type CallStatus } from "./call.js";
export { commAddress, commOffsets, readComm, writeComm } from "./commRegion.js";
export * from "./context.js";
export { isPassive, type Wait } from "./exchange.js";
export {
  guestAccess,
  guestCpuOn,
  guestIpi,
  guestPio,
  guestRouteIrq,
  guestSystemReset,
  guestVmx,
  panicPark,
} from "./guest.js";
export { guestWritable, readGuest, writeGuest } from "./guestMemory.js";
export { Hypervisor } from "./hypervisor.js";
export { checkInvariants, type InvariantViolation } from "./invariants.js";
export { allocFrame, allocFrames, freeFrames, IMAGE_FRAMES, PERCPU_FRAMES, poolUsedCount } from "./pagePool.js";
export {
  forgetWalks,
  mappedLeaves,
  mappedRuns,
  mapRange,
  type Paging,
  pte,
  tableFrames,
  translate,
  walkTables,
} from "./pageTable.js";
export { readPhysInt, writePhysInt } from "./physicalMemory.js";
export type * from "./state.js";
export {
  readVirtioExtension,
  virtioDeliver,
  virtioEvent,
  virtioOf,
  virtioRead,
  virtioSettle,
  virtioUnit,
  virtioWrite,
} from "./virtioUnit.js";
