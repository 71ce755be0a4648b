import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StateStore } from "../../../proofs/explicit/StateStore.js";
import { slotHash } from "../../../proofs/explicit/slotHash.js";

/** Adds `v` with its hash computed whole. */
const put = (store: StateStore, v: Int32Array, parent: number): number => store.add(v, parent, store.hash(v));

/** Ids as the checker produces them: mostly small, some past 16 bits, and the layout's -1. */
const id = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65_530, max: 70_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 2 ** 31 - 1 }) },
);

describe("StateStore", () => {
  it("is a set of vectors: each distinct vector gets the next index once, and reads back unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(id, { minLength: width, maxLength: width }))),
        (vectors) => {
          const width = vectors[0]?.length ?? 1;
          const store = new StateStore(width);
          const seen = new Map<string, number>();
          vectors.forEach((v, parent) => {
            const key = v.join(",");
            const index = put(store, Int32Array.from(v), parent);
            expect(store.added).toBe(!seen.has(key));
            if (!seen.has(key)) seen.set(key, seen.size);
            expect(index).toBe(seen.get(key));
          });
          expect(store.count).toBe(seen.size);
          const out = new Int32Array(width);
          for (const [key, index] of seen) {
            store.read(index, out);
            expect(Array.from(out).join(",")).toBe(key);
            expect(store.hashOf(index)).toBe(store.hash(out));
          }
        },
      ),
    );
  });

  it("hashes a successor from its parent's hash and the slots that differ, as the search does", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 12 })
          .chain((width) =>
            fc.tuple(
              fc.array(id, { minLength: width, maxLength: width }),
              fc.array(fc.tuple(fc.nat(width - 1), id), { maxLength: 4 }),
            ),
          ),
        ([parent, changes]) => {
          const store = new StateStore(parent.length);
          const child = [...parent];
          for (const [i, v] of changes) child[i] = v;
          let sum = store.hash(Int32Array.from(parent));
          child.forEach((v, i) => {
            const was = parent[i] as number;
            if (v !== was) sum = (sum + slotHash(i, v) - slotHash(i, was)) | 0;
          });
          expect(sum).toBe(store.hash(Int32Array.from(child)));
        },
      ),
    );
  });

  it("keeps every state when the arena widens past 16-bit ids and the table grows many times", () => {
    const store = new StateStore(2);
    const parents: number[] = [];
    // 40,000 narrow states, then ids past 16 bits: the table grows from 4,096 slots to 131,072.
    for (let i = 0; i < 60_000; i++) {
      const v = Int32Array.of(i < 40_000 ? i % 200 : i + 70_000, i < 40_000 ? Math.floor(i / 200) : -1);
      expect(put(store, v, i - 1)).toBe(i);
      parents.push(i - 1);
    }
    const out = new Int32Array(2);
    for (const i of [0, 199, 39_999, 40_000, 59_999]) {
      store.read(i, out);
      expect(Array.from(out)).toEqual(i < 40_000 ? [i % 200, Math.floor(i / 200)] : [i + 70_000, -1]);
      expect(store.parent(i)).toBe(parents[i]);
      // Met again: found, not added.
      expect(put(store, out, 0)).toBe(i);
      expect(store.added).toBe(false);
    }
    expect(store.count).toBe(60_000);
  });
});
