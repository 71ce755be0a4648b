/**
 * The 64-bit fingerprint of a state vector as two 32-bit halves: two multiply chains over the ids,
 * each finished by an avalanche. The disk search identifies states by both (the in-memory searches
 * hash states with the per-slot sums of `slotHash.ts` and compare vectors on a hit).
 */
export function fingerprint(vec: Int32Array, width: number, out: Int32Array): void {
  let lo = 0x9747b28c;
  let hi = 0x811c9dc5;
  for (let i = 0; i < width; i++) {
    const x = vec[i] as number;
    lo = Math.imul(lo ^ x, 0x01000193);
    hi = Math.imul(hi + x, 0x9e3779b1);
  }
  lo ^= lo >>> 16;
  lo = Math.imul(lo, 0x85ebca6b);
  lo ^= lo >>> 13;
  lo = Math.imul(lo, 0xc2b2ae35);
  lo ^= lo >>> 16;
  hi ^= hi >>> 15;
  hi = Math.imul(hi, 0x2c1b3c6d);
  hi ^= hi >>> 12;
  out[0] = lo;
  out[1] = hi;
}
