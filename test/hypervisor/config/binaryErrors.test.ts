import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeConfig, encodeCell, encodeSystem } from "../../../hypervisor/index.js";
import { markedCellFile } from "../../builders/cellBytes.js";
import { cellConfig, systemConfig } from "../../builders/configArbitrary.js";

const valid = () => markedCellFile().bytes;
const withBytes = (bytes: Uint8Array, at: number, patch: number[]): Uint8Array => {
  const copy = bytes.slice();
  copy.set(patch, at);
  return copy;
};
const errorOf = (bytes: Uint8Array) => {
  const d = decodeConfig(bytes, "bad.cell");
  return d.ok ? undefined : d.error;
};

describe("decodeConfig on bad input", () => {
  it("names a wrong signature with what was found and what is supported", () => {
    const e = errorOf(withBytes(valid(), 0, [...Buffer.from("XXXXX")]));
    expect(e).toMatchObject({ code: "WRD101", byteOffset: 0, file: "bad.cell" });
    expect(e?.message).toContain('"XXXXX');
  });

  it("rejects an unknown architecture byte at offset 5", () => {
    expect(errorOf(withBytes(valid(), 5, [7]))).toMatchObject({ code: "WRD103", byteOffset: 5 });
  });

  it("rejects an unsupported revision at offset 6 and lists the supported ones", () => {
    const e = errorOf(withBytes(valid(), 6, [13, 0]));
    expect(e).toMatchObject({ code: "WRD102", byteOffset: 6 });
    expect(e?.message).toContain("12, 13, 14");
  });

  it("rejects a truncated file with the offset where bytes ran out", () => {
    const e = errorOf(valid().subarray(0, 100));
    expect(e).toMatchObject({ code: "WRD104" });
  });

  it("rejects counts that imply more bytes than the file holds before reading any array", () => {
    const e = errorOf(withBytes(valid(), 52, [0xff, 0xff, 0xff, 0xff]));
    expect(e?.code).toBe("WRD104");
    expect(e?.message).toMatch(/needs \d+ bytes/);
  });

  it("rejects a memory region whose end wraps past 2^64, naming the region", () => {
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(0xffffffffffffffffn);
    const e = errorOf(withBytes(valid(), 140 + 16, [...size]));
    expect(e).toMatchObject({ code: "WRD105", byteOffset: 140 });
    expect(e?.message).toContain("memory_regions[0]");
  });

  it("warns about trailing bytes and unknown flag bits but still decodes", () => {
    const bytes = new Uint8Array([...withBytes(valid(), 140 + 24 + 3, [0x40]), 0, 0, 0]);
    const d = decodeConfig(bytes, "t.cell");
    expect(d.ok).toBe(true);
    expect(d.warnings.map((w) => w.code).sort()).toEqual(["WRD106", "WRD107"]);
  });

  it("ends every mutated or random input in a config or a structured error (20,000 inputs)", () => {
    const seeds = fc.oneof(
      cellConfig().map(encodeCell),
      systemConfig().map(encodeSystem),
      fc.constant(valid()),
      fc.uint8Array({ maxLength: 600 }),
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("count" as const), at: fc.integer({ min: 48, max: 79 }), value: fc.nat() }),
      fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
    );
    fc.assert(
      fc.property(seeds, fc.array(mutation, { maxLength: 3 }), (seed, mutations) => {
        let bytes = seed.slice();
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === "flip" && bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
          if (m.kind === "truncate") bytes = bytes.subarray(0, at);
          if (m.kind === "count" && bytes.length >= m.at + 4)
            new DataView(bytes.buffer, bytes.byteOffset).setUint32(m.at, m.value, true);
          if (m.kind === "splice")
            bytes = new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
        }
        const d = decodeConfig(bytes, "fuzz.cell");
        if (!d.ok) {
          expect(d.error.code).toMatch(/^WRD1\d\d$/);
          expect(d.error.byteOffset).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});
