/**
 * Per-slot hashes whose sum over a state's slots is its hash: a successor's follows from its
 * parent's in the slots a step changes (one or two of TwoPhase's eleven) instead of every slot.
 * Both in-memory searches use it, the one-worker store and the parallel search's shared table.
 * Sums spread poorly in their low bits, so a table index is taken from `avalanche(sum)`.
 */

/** Slot i holding id v. */
export function slotHash(i: number, v: number): number {
  let m = Math.imul(v ^ Math.imul(i + 1, 0x9e3779b9), 0x85ebca6b);
  m ^= m >>> 13;
  m = Math.imul(m, 0xc2b2ae35);
  return m ^ (m >>> 16);
}

/** The sum of {@link slotHash} over the first `width` slots of `vec`: a state's hash, computed whole. */
export function slotSum(vec: Int32Array, width: number): number {
  let h = 0;
  for (let i = 0; i < width; i++) h = (h + slotHash(i, vec[i] as number)) | 0;
  return h;
}

/** murmur3's finaliser: every input bit reaches every output bit. */
export function avalanche(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
