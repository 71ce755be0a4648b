/**
 * Committing the shared buffers' pages ahead of the search (`prefault`, run by a thread waiting
 * for its first round while the coordinator enters states) must not change a word anyone wrote,
 * must stop once the coordinator wants the threads, and counts in the check's memory, buffer by
 * buffer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prefaultSlots } from "../../../proofs/explicit/checkParallel.js";
import { SharedStates, sharedStateBuffers, WANTED } from "../../../proofs/explicit/SharedStates.js";

describe("SharedStates.prefault", () => {
  it("keeps every state written before or while it runs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3000 }), (width, count) => {
        const states = new SharedStates(sharedStateBuffers(1 << 14, false), width);
        const vec = new Int32Array(width);
        const slots: number[] = [];
        const enter = (from: number, to: number) => {
          for (let i = from; i < to; i++) {
            for (let k = 0; k < width; k++) vec[k] = (i * 7919 + k * 104729) & 0x7fff;
            vec[0] = i;
            slots.push(states.add(vec, states.hash(vec), i, 0));
          }
        };
        enter(0, count >> 1);
        expect(states.prefault(count * 2)).toBe(count * 2);
        enter(count >> 1, count);
        states.releaseBlock();
        const out = new Int32Array(width);
        slots.forEach((slot, i) => {
          states.readSlot(slot, out);
          expect(out[0]).toBe(i);
          for (let k = 1; k < width; k++) expect(out[k]).toBe((i * 7919 + k * 104729) & 0x7fff);
          expect(states.head(slot)).toBe(i);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("covers the slots asked for, and none once the coordinator wants the threads", () => {
    const states = new SharedStates(sharedStateBuffers(1 << 10, false), 4);
    expect(states.prefault(100_000)).toBe(100_000);
    Atomics.store(states.meta, WANTED, 1);
    expect(states.prefault(2_000_000)).toBe(0);
  });

  it("reports the slots it committed, for the check's memory, never lowering them", () => {
    const states = new SharedStates(sharedStateBuffers(1 << 10, false), 4);
    expect(states.prefaulted).toBe(0);
    states.prefault(50_000);
    expect(states.prefaulted).toBe(50_000);
    states.prefault(20_000);
    expect(states.prefaulted).toBe(50_000);
  });

  it("counts each per-slot buffer up to what was written or committed ahead, whichever reaches further", () => {
    const states = new SharedStates(sharedStateBuffers(1 << 18, false), 4);
    states.prefault(50_000);
    // Records, keys, canonical slots and successor counts, all committed for 50,000 slots.
    expect(states.bytes(0)).toBe(50_000 * states.slotBytes);
    expect(states.slotBytes).toBe(states.recordBytes + 8 + 4 + 4);
    const vec = new Int32Array(4);
    for (let i = 0; i < 60_000; i++) {
      vec[0] = i;
      states.add(vec, states.hash(vec), 0, i);
    }
    const bySlot = states.used * (states.recordBytes + 8);
    expect(states.used).toBeGreaterThanOrEqual(60_000);
    expect(states.bytes(10)).toBe(bySlot + 50_000 * 8);
    expect(states.bytes(60_000)).toBe(bySlot + 60_000 * 8);
  });
});

describe("prefaultSlots", () => {
  it("is twice the hand-over, at most half of --max-memory", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 8, max: 64 }),
        fc.integer({ min: 1, max: 4096 }),
        (handOver, perSlot, mib) => {
          expect(prefaultSlots(handOver, perSlot)).toBe(2 * handOver);
          const capped = prefaultSlots(handOver, perSlot, mib);
          expect(capped).toBeLessThanOrEqual(2 * handOver);
          expect(capped * perSlot).toBeLessThanOrEqual((mib * 2 ** 20) / 2);
          expect(capped === 2 * handOver || (capped + 1) * perSlot > (mib * 2 ** 20) / 2).toBe(true);
        },
      ),
    );
  });
});
