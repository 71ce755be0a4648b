import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEptEntry, type EptLevel, type EptRegion } from "../../../../hypervisor/index.js";
import { eptEntryPrelude } from "../../../../proofs/eptEntry/index.js";
import { runSmt } from "../../../../proofs/isolation/index.js";

const ram: EptRegion = { start: 0x4000_0000n, size: 0x4000_0000n, read: true, write: true, execute: true };
const rom: EptRegion = { start: 0x8000_0000n, size: 0x20_0000n, read: true, write: false, execute: true };
/** R, W, X and memory type WB (6 << 3). */
const RWX_WB = 0x37n;

describe("checkEptEntry", () => {
  it("maps nothing for an entry with bits 2..0 clear, whatever else it holds", () => {
    expect(checkEptEntry(0xffff_ffff_ffff_fff8n, 1, [ram])).toEqual({ kind: "none" });
  });

  it("accepts a 2 MiB leaf inside the cell's RAM and refuses it one page too far", () => {
    expect(checkEptEntry(0x7fe0_0000n | 0x80n | RWX_WB, 2, [ram])).toMatchObject({ kind: "leaf", size: 0x20_0000n });
    expect(checkEptEntry(0x8000_0000n | 0x80n | RWX_WB, 2, [ram])).toEqual({
      kind: "refused",
      reason: "outside the cell's memory",
    });
  });

  it("refuses a misaligned large page, a reserved memory type and bit 7 at level 4", () => {
    expect(checkEptEntry(0x4000_1000n | 0x80n | RWX_WB, 2, [ram])).toMatchObject({ reason: "misaligned large page" });
    expect(checkEptEntry(0x4000_1000n | 0x17n, 1, [ram])).toMatchObject({ reason: "memory type" });
    expect(checkEptEntry(0x4000_1000n | 0x87n, 4, [ram])).toMatchObject({ reason: "reserved table bits" });
  });

  it("refuses write access to read-only memory and write-without-read", () => {
    expect(checkEptEntry(0x8000_0000n | RWX_WB, 1, [rom])).toMatchObject({ reason: "more rights than the cell" });
    expect(checkEptEntry(0x8000_0000n | 0x35n, 1, [rom])).toMatchObject({ kind: "leaf", write: false });
    expect(checkEptEntry(0x4000_0000n | 0x2n, 1, [ram])).toMatchObject({ reason: "not readable" });
  });

  it("refuses address bits at or above 46 and mode-based execute", () => {
    expect(checkEptEntry((1n << 46n) | 0x4000_0000n | RWX_WB, 1, [ram])).toMatchObject({
      reason: "reserved address bits",
    });
    expect(checkEptEntry(0x4000_0000n | 0x400n | RWX_WB, 1, [ram])).toMatchObject({ reason: "mode-based execute" });
  });

  it("accepts a table pointer only to a page of the cell", () => {
    expect(checkEptEntry(0x4000_0000n | 0x7n, 3, [ram])).toEqual({ kind: "table", address: 0x4000_0000n });
    expect(checkEptEntry(0x1000n | 0x7n, 3, [ram])).toMatchObject({ reason: "outside the cell's memory" });
  });
});

const hex = (n: bigint) => `#x${n.toString(16).padStart(16, "0")}`;
const smtBool = (b: boolean) => (b ? "true" : "false");

/** Entries near the interesting edges: random bits, or a chosen address with chosen low and high bits. */
const entryArb = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc
    .record({
      page: fc.bigInt({ min: 0n, max: (1n << 36n) - 1n }),
      low: fc.bigInt({ min: 0n, max: 0xfffn }),
      high: fc.constantFrom(0n, 1n << 46n, 1n << 51n, 1n << 63n, 0x7ffn << 52n),
    })
    .map(({ page, low, high }) => (page << 12n) | low | high),
);
const regionArb = fc
  .record({
    start: fc.bigInt({ min: 0n, max: (1n << 22n) - 1n }),
    pages: fc.bigInt({ min: 1n, max: 1n << 19n }),
    read: fc.boolean(),
    write: fc.boolean(),
    execute: fc.boolean(),
  })
  .map((r) => ({ ...r, start: r.start << 12n, size: r.pages << 12n }));

describe("the SMT-LIB accept_L formula", () => {
  it("agrees with checkEptEntry on random entries, levels and regions (one Z3 run per batch)", async () => {
    const inside = fc
      .tuple(regionArb, fc.constantFrom<EptLevel>(1, 2, 3, 4), fc.bigInt({ min: 0n, max: (1n << 19n) - 1n }))
      .chain(([r, l, k]) =>
        fc
          .constantFrom(0x7n, 0x37n, 0xb7n, 0x3n, 0x1n, 0x5n, 0x35n, 0x31n, 0x87n, 0x437n, 0x10n)
          .map(
            (low) =>
              [
                ((r.start + ((k << 12n) % r.size)) & ~((1n << (l === 2 ? 21n : l === 3 ? 30n : 12n)) - 1n)) | low,
                l,
                r,
              ] as const,
          ),
      );
    const samples = fc.sample(fc.oneof(fc.tuple(entryArb, fc.constantFrom<EptLevel>(1, 2, 3, 4), regionArb), inside), {
      numRuns: 400,
    });
    const script = [
      "(set-logic QF_BV)",
      eptEntryPrelude(),
      ...samples.map(
        ([e, l, r]) =>
          `(simplify (accept_${l} ${hex(e)} ${hex(r.start)} ${hex(r.size)} ${smtBool(r.read)} ${smtBool(r.write)} ${smtBool(r.execute)}))`,
      ),
    ].join("\n");
    const answers = (await runSmt(script)).trim().split("\n");
    const ours = samples.map(([e, l, r]) => String(checkEptEntry(e, l, [r]).kind !== "refused"));
    expect(answers).toEqual(ours);
    // Not vacuous: both verdicts occur, and accepted leaves too.
    expect(new Set(ours)).toEqual(new Set(["true", "false"]));
    expect(samples.some(([e, l, r]) => checkEptEntry(e, l, [r]).kind === "leaf")).toBe(true);
  }, 60_000);
});
