/**
 * The hypervisor's page pool: every page of hypervisor data (page tables, cell structures, comm
 * pages, link structures) comes from the frames of `hypervisor_memory` after the hypervisor image
 * and per-CPU areas. First-fit contiguous allocation, as upstream's `page_alloc`.
 */
import { HypervisorError } from "./abi.js";
import type { HypervisorState } from "./state.js";

/** Frames Warden reserves for the hypervisor image before the pool starts (1 MiB). */
export const IMAGE_FRAMES = 256;
/** Frames of per-CPU data (stack, per-CPU page tables) reserved per configured CPU. */
export const PERCPU_FRAMES = 4;

/** Allocates `count` contiguous frames, or throws -ENOMEM and leaves the pool untouched. */
export function allocFrames(s: HypervisorState, count: number): number[] {
  const used = s.poolUsed;
  let run = 0;
  for (let i = 0; i < used.length; i++) {
    run = used[i] ? 0 : run + 1;
    if (run === count) {
      const first = i - count + 1;
      used.fill(1, first, i + 1);
      return Array.from({ length: count }, (_, k) => s.poolBase + first + k);
    }
  }
  throw new HypervisorError("ENOMEM");
}

export function allocFrame(s: HypervisorState): number {
  // The first free frame, found natively: tables are allocated one frame at a time, dozens per create.
  const i = s.poolUsed.indexOf(0);
  if (i < 0) throw new HypervisorError("ENOMEM");
  s.poolUsed[i] = 1;
  return s.poolBase + i;
}

/** Returns frames to the pool and forgets what they held. */
export function freeFrames(s: HypervisorState, frames: readonly number[]): void {
  for (const f of frames) {
    const i = f - s.poolBase;
    if (s.poolUsed[i] !== 1) throw new Error(`page pool: frame 0x${f.toString(16)} freed twice`);
    s.poolUsed[i] = 0;
    s.tables.delete(f);
    s.memory.delete(f);
  }
}

export function poolUsedCount(s: HypervisorState): number {
  let n = 0;
  for (const b of s.poolUsed) n += b;
  return n;
}
