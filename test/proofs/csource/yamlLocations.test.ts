import { describe, expect, it } from "vitest";
import { registerYamlSource } from "../../../proofs/csource/yamlLocations.js";
import { formatDiagnostic, onSourceLine, yamlLocationOf } from "../../../proofs/index.js";

const text = [
  "system:",
  "  arch: x86",
  "  root_cell:",
  "    name: root",
  "    memory_regions:",
  '      - { phys_start: "0x0", size: "0x1000" }',
  "      - phys_start: 0x2000",
  "        size: 0x1000",
  "cells:",
  "  - name: a",
  "",
].join("\n");

describe("yamlLocationOf", () => {
  registerYamlSource("set.yaml", text);

  it("finds a field path's line and column, falling back to the nearest field present", () => {
    expect(yamlLocationOf("set.yaml", "system.root_cell.memory_regions[0]")).toEqual({ line: 6, column: 9 });
    expect(yamlLocationOf("set.yaml", "system.root_cell.memory_regions[1].size")).toEqual({ line: 8, column: 15 });
    expect(yamlLocationOf("set.yaml", "cells[0].memory_regions[3]")).toEqual({ line: 10, column: 5 });
    expect(yamlLocationOf("other.yaml", "cells[0]")).toBeUndefined();
  });

  it("puts the line and column into diagnostics and witness references", () => {
    expect(
      formatDiagnostic({ code: "WRD111", severity: "error", message: "bad", file: "set.yaml", field: "cells[0].name" }),
    ).toBe("error WRD111: set.yaml:10:11: cells[0].name: bad");
    expect(onSourceLine({ file: "set.yaml", field: "system.root_cell.memory_regions[1]" }).file).toBe("set.yaml:7:9");
  });
});
