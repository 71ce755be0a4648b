import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EptRegion, validateEpt } from "../../../../hypervisor/index.js";

const ram: EptRegion = { start: 0n, size: 0x4000_0000n, read: true, write: true, execute: true };
/** EPT pointer: WB, 4-level walk. */
const eptp = (root: bigint) => root | (3n << 3n) | 6n;
const TABLE = 0x7n;
const LEAF_WB = 0x37n;

/** A cell memory holding KVM's EPT: PML4 0x1000 → PDPT 0x2000 → PD 0x3000 (a 2 MiB leaf and PT 0x4000 with one 4 KiB leaf). */
function kvmEpt(): Map<bigint, bigint> {
  return new Map([
    [0x1000n, 0x2000n | TABLE],
    [0x2000n, 0x3000n | TABLE],
    [0x3000n, 0x20_0000n | 0x80n | LEAF_WB],
    [0x3008n, 0x4000n | TABLE],
    [0x4000n, 0x40_0000n | LEAF_WB],
  ]);
}
const reader = (mem: ReadonlyMap<bigint, bigint>) => (a: bigint) => mem.get(a) ?? 0n;

const rom: EptRegion = { start: 0x4000_0000n, size: 0x20_0000n, read: true, write: false, execute: true };
const regions = [ram, rom];

/** The leaves the hardware reaches from `table` at `level`, read independently of the validator (bits 51..12 as address). */
function* hardwareLeaves(
  read: (a: bigint) => bigint,
  table: bigint,
  level: number,
): Generator<{ start: bigint; size: bigint; write: boolean }> {
  for (let i = 0n; i < 512n; i++) {
    const e = read(table + i * 8n);
    if ((e & 7n) === 0n) continue;
    const address = e & 0x000f_ffff_ffff_f000n;
    if (level === 1 || ((level === 2 || level === 3) && (e & 0x80n) !== 0n))
      yield { start: address, size: 1n << BigInt(12 + 9 * (level - 1)), write: (e & 2n) !== 0n };
    else yield* hardwareLeaves(read, address, level - 1);
  }
}

describe("validateEpt", () => {
  it("accepts KVM's EPT and lists its four table pages", () => {
    expect(validateEpt(eptp(0x1000n), [ram], reader(kvmEpt()))).toEqual({
      ok: true,
      tables: [0x1000n, 0x2000n, 0x3000n, 0x4000n],
      levels: [
        [0x1000n, 4],
        [0x2000n, 3],
        [0x3000n, 2],
        [0x4000n, 1],
      ],
      leaves: 2,
    });
  });

  it("names the table, index and level of the entry that maps outside the cell", () => {
    const mem = kvmEpt();
    mem.set(0x4008n, 0x8000_0000n | LEAF_WB);
    expect(validateEpt(eptp(0x1000n), [ram], reader(mem))).toEqual({
      ok: false,
      reason: "outside the cell's memory",
      table: 0x4000n,
      index: 1,
      level: 1,
    });
  });

  it("refuses an EPT pointer with a 5-level walk, a reserved memory type or a root outside the cell", () => {
    expect(validateEpt(0x1000n | (4n << 3n) | 6n, [ram], reader(kvmEpt())).ok).toBe(false);
    expect(validateEpt(0x1000n | (3n << 3n) | 2n, [ram], reader(kvmEpt())).ok).toBe(false);
    expect(validateEpt(eptp(0x8000_0000n), [ram], reader(kvmEpt()))).toMatchObject({
      reason: "EPT root outside the cell's memory",
    });
  });

  it("accepts only EPTs whose hardware walk stays in the cell within its rights (random tables)", () => {
    const entryArb = fc.oneof(
      fc.constantFrom(0n, 0x2000n | TABLE, 0x3000n | TABLE, 0x4000n | TABLE, 0x20_0000n | 0x80n | LEAF_WB),
      fc.bigInt({ min: 0n, max: 0x8000_0fffn }),
      fc.constantFrom(0x4000_0000n | LEAF_WB, 0x4000_0000n | 0x35n, 0x4000_0000n | 0x80n | LEAF_WB),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0x1000n, 0x2000n, 0x3000n, 0x4000n), fc.nat(3), entryArb), { maxLength: 3 }),
        (writes) => {
          const mem = kvmEpt();
          for (const [table, index, value] of writes) mem.set(table + BigInt(index * 8), value);
          const v = validateEpt(eptp(0x1000n), regions, reader(mem));
          if (!v.ok) return;
          // The hardware's walk of an accepted EPT reaches only the cell's memory, within its rights.
          for (const leaf of hardwareLeaves(reader(mem), 0x1000n, 4)) {
            const holder = regions.find((r) => leaf.start >= r.start && leaf.start + leaf.size <= r.start + r.size);
            expect(holder).toBeDefined();
            if (leaf.write) expect(holder?.write).toBe(true);
          }
          expect(v.tables).toContain(0x1000n);
        },
      ),
      { numRuns: 200 },
    );
  });
});
