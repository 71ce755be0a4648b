import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConfigDocument,
  configToJson,
  configToYaml,
  decodeConfig,
  encodeCell,
  encodeSystem,
  parseConfigText,
} from "../../../hypervisor/index.js";
import { cellConfig, systemConfig } from "../../builders/configArbitrary.js";

function parse(text: string, format: "yaml" | "json" = "yaml"): ConfigDocument {
  const d = parseConfigText(text, "t.yaml", format);
  if (!d.ok) throw new Error(`${d.error.field}: ${d.error.message}`);
  return d.value;
}

const errorOf = (text: string) => {
  const d = parseConfigText(text, "bad.yaml", "yaml");
  return d.ok ? undefined : d.error;
};

const minimalSet = `
system:
  arch: x86
  hypervisor_memory: { phys_start: "0x3a000000", size: "0x600000" }
  root_cell: { name: root, cpus: [0, 1] }
cells:
  - name: a
    cpus: [1]
  - name: b
    memory_regions:
      - { phys_start: "0x1000", size: "0x1000", flags: [READ] }
      - { phys_start: "0x2000", size: "0x1000", flags: [READ] }
      - { phys_start: "0x3000", size: "0x1000", flags: [READ] }
      - { phys_start: "0x4000", size: "zero", flags: [READ] }
`;

describe("the YAML configuration form", () => {
  it("round-trips any cell through YAML and JSON, and YAML -> binary -> YAML is stable", () => {
    fc.assert(
      fc.property(cellConfig(), (cell) => {
        const doc: ConfigDocument = { kind: "cell", cell };
        const yaml = configToYaml(doc);
        expect(parse(yaml)).toEqual(doc);
        expect(parse(configToJson(doc), "json")).toEqual(doc);
        const back = decodeConfig(encodeCell(cell), "t.cell");
        expect(back.ok && configToYaml({ kind: "cell", cell: back.value.config as typeof cell })).toBe(yaml);
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips any system configuration through YAML byte for byte", () => {
    fc.assert(
      fc.property(systemConfig(), (system) => {
        const doc = parse(configToYaml({ kind: "system", system }));
        expect(
          doc.kind === "system" && Buffer.from(encodeSystem(doc.system)).equals(Buffer.from(encodeSystem(system))),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("names the field path of a schema error", () => {
    expect(errorOf(minimalSet)).toMatchObject({
      code: "WRD111",
      field: "cells[1].memory_regions[3].size",
      file: "bad.yaml",
    });
  });

  it("rejects unknown flag names and lists the known ones", () => {
    const e = errorOf(minimalSet.replace('size: "zero", flags: [READ]', 'size: "0x1000", flags: [READ, SHARED]'));
    expect(e?.field).toBe("cells[1].memory_regions[3].flags");
    expect(e?.message).toContain("ROOTSHARED");
  });

  it("rejects a CPU outside the CPU set's bytes", () => {
    const e = errorOf(minimalSet.replace("cpus: [1]", "cpus: [64]").replace('size: "zero"', 'size: "0x1000"'));
    expect(e).toMatchObject({ field: "cells[0].cpus" });
  });

  it("rejects duplicate cell names in a set", () => {
    const e = errorOf(minimalSet.replace("name: b", "name: a").replace('size: "zero"', 'size: "0x1000"'));
    expect(e?.message).toContain('"a" is used twice');
  });

  it("reports YAML syntax errors with their line", () => {
    expect(errorOf("system: [unclosed")).toMatchObject({ code: "WRD110" });
  });

  it("fills defaults so a hand-written cell stays short", () => {
    const doc = parse("cell: { name: tiny, cpus: [2] }");
    expect(doc.kind === "cell" && [doc.cell.cpu_set_size, doc.cell.msg_reply_timeout, doc.cell.arch]).toEqual([
      8,
      0n,
      "x86",
    ]);
  });
});
