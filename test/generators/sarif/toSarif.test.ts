import { describe, expect, it } from "vitest";
import { type SarifInput, type SarifRef, toSarif } from "../../../generators/index.js";
import { sarifErrors } from "./sarifSchema.js";

const root = "/repo";
const cRef = (line: number): SarifRef => ({
  cell: "linux",
  what: "memory region 15",
  file: "/repo/configs/arm/board-linux.c",
  byteOffset: 0x3d0,
  source: {
    file: "/repo/configs/arm/board-linux.c",
    line,
    column: 3,
    element: "config.mem_regions[15]",
    binary: "/home/u/.cache/warden/c-configs/ab.cell",
  },
});
const binRef: SarifRef = { cell: "rt", what: "memory region 0", file: "/repo/rt.cell", byteOffset: 0x8c };
const yamlRef: SarifRef = {
  cell: "root",
  what: "memory region 2",
  file: "/elsewhere/set.yaml",
  field: "cells[0].memory_regions[2]",
};

const input = (first: SarifRef, second: SarifRef, id = "WRD-MEM-DISJOINT"): SarifInput => ({
  toolVersion: "0.1.0",
  root,
  obligations: [
    {
      id,
      title: "Non-root cells' memory is pairwise disjoint",
      description: "No two non-root cells map the same physical page",
      verdict: "violated",
      witnesses: [{ message: "address 0x3f000000 is in both", first, second }],
    },
  ],
});

type Log = {
  runs: {
    tool: { driver: { rules: { help: { text: string } }[] } };
    results: {
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: object } }[];
      relatedLocations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
};

describe("toSarif", () => {
  it("writes logs the SARIF 2.1.0 schema accepts, for C, binary and YAML descriptors", () => {
    for (const [a, b] of [
      [binRef, cRef(142)],
      [yamlRef, binRef],
      [cRef(142), yamlRef],
    ] as const) {
      expect(sarifErrors(toSarif(input(a, b)))).toEqual([]);
    }
    expect(sarifErrors({ version: "2.1.0", runs: [{ tool: { driver: {} } }] }).length).toBeGreaterThan(0);
  });

  it("puts the result on the C source line, relative to the repository root, with the binary offset related", () => {
    const log = toSarif(input(binRef, cRef(142))) as Log;
    const result = log.runs[0]?.results[0];
    expect(result?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "configs/arm/board-linux.c", uriBaseId: "SRCROOT" },
      region: { startLine: 142, startColumn: 3 },
    });
    expect(
      result?.relatedLocations.map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region]),
    ).toEqual([
      ["rt.cell", { byteOffset: 0x8c, byteLength: 32 }],
      ["file:///home/u/.cache/warden/c-configs/ab.cell", { byteOffset: 0x3d0, byteLength: 32 }],
    ]);
    expect(log.runs[0]?.tool.driver.rules[0]?.help.text).toMatch(/--sharing policy/);
  });

  it("gives a finding the same fingerprint across runs and line moves, and different findings different ones", () => {
    const fp = (a: SarifRef, b: SarifRef, id?: string) =>
      (toSarif(input(a, b, id)) as Log).runs[0]?.results[0]?.partialFingerprints["wardenFinding/v1"];
    expect(fp(binRef, cRef(142))).toBe(fp(binRef, cRef(142)));
    expect(fp(binRef, cRef(142))).toBe(fp(binRef, cRef(150)));
    expect(fp(binRef, cRef(142))).not.toBe(fp(yamlRef, cRef(142)));
    expect(fp(binRef, cRef(142))).not.toBe(fp(binRef, cRef(142), "WRD-MEM-IN-ROOT"));
  });
});
