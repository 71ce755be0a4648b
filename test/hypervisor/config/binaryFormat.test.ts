import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CellConfig,
  decodeConfig,
  encodeCell,
  encodeSystem,
  type SystemConfig,
} from "../../../hypervisor/index.js";
import { markedCellFile, markedSystemFile } from "../../builders/cellBytes.js";
import { cellConfig, systemConfig } from "../../builders/configArbitrary.js";

function decodedCell(bytes: Uint8Array): CellConfig {
  const d = decodeConfig(bytes, "t.cell");
  if (!d.ok || d.value.kind !== "cell") throw new Error(d.ok ? "not a cell" : d.error.message);
  return d.value.config;
}

/** Looks a dotted/indexed field path up in a decoded config. */
function lookup(config: object, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], config);
}

describe("the binary cell format", () => {
  const built = markedCellFile();
  const cell = decodedCell(built.bytes);

  it("reads every field of a builder-made file from its documented offset", () => {
    const fields = built.placed.filter(
      (p) => !/^(count\d|cpu_set|architecture|revision|pci_devices\[0\]\.msi_bits)$/.test(p.field),
    );
    expect(fields.length).toBeGreaterThan(50);
    for (const p of fields) {
      const value = lookup(cell, p.field);
      expect([p.field, typeof value === "bigint" ? value : BigInt(value as number)]).toEqual([p.field, p.value]);
    }
    expect([
      cell.name,
      cell.arch,
      cell.cpus,
      cell.pci_devices[0]?.msi_64bits,
      cell.pci_devices[0]?.msi_maskable,
    ]).toEqual(["marked", "arm64", [1, 9], true, true]);
  });

  it("records the file offset of every array element", () => {
    const d = decodeConfig(built.bytes, "t.cell");
    expect(d.ok && d.value.origin.offsets).toMatchObject({
      memory_regions: [140],
      cache_regions: [172],
      stream_ids: [284],
    });
  });

  it("writes a builder-made file back byte for byte", () => {
    expect(Buffer.from(encodeCell(cell)).equals(Buffer.from(built.bytes))).toBe(true);
  });

  it("round-trips arbitrary cell configurations", () => {
    fc.assert(
      fc.property(cellConfig(), (c) => {
        expect(decodedCell(encodeCell(c))).toEqual(c);
      }),
    );
  });

  it("round-trips arbitrary system configurations, root cell included", () => {
    fc.assert(
      fc.property(systemConfig(), (s: SystemConfig) => {
        const d = decodeConfig(encodeSystem(s), "s.cell");
        expect(d.ok && d.value.kind === "system" && d.value.config).toEqual(s);
      }),
    );
  });
});

describe.each(["x86", "arm64"] as const)("the binary %s system header", (arch) => {
  const built = markedSystemFile(arch);
  const d = decodeConfig(built.bytes, "s.cell");
  const system = d.ok && d.value.kind === "system" ? d.value.config : expect.unreachable("must decode");

  it("reads every header field of a builder-made file from its documented offset", () => {
    const fields = built.placed.filter((p) => !/^(architecture|revision|root_cell\.cpu_set_size)$/.test(p.field));
    expect(fields.length).toBeGreaterThan(arch === "x86" ? 80 : 82);
    for (const p of fields) {
      const value = lookup(system, p.field);
      expect([p.field, typeof value === "bigint" ? value : BigInt(value as number)]).toEqual([p.field, p.value]);
    }
    expect([system.arch, system.root_cell.name, system.platform.arch.kind]).toEqual([
      arch,
      "root",
      arch === "x86" ? "x86" : "arm",
    ]);
  });

  it("writes a builder-made file back byte for byte", () => {
    expect(Buffer.from(encodeSystem(system)).equals(Buffer.from(built.bytes))).toBe(true);
  });
});
