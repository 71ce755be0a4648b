import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { examplePath, InputError, loadConfigFile, loadConfigSet, loadExampleSet } from "../../../proofs/index.js";

const dir = mkdtempSync(join(tmpdir(), "warden-load-"));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `load` and returns the diagnostic of the InputError it must throw. */
function diagnosticOf(load: () => unknown) {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).diagnostic;
  }
  throw new Error("expected an InputError");
}

const arm64Cell = `cell:\n  arch: arm64\n  name: other\n  cpus: [3]\n`;
const x86Cell = (name: string) => `cell:\n  arch: x86\n  name: ${name}\n  cpus: [3]\n`;

describe("loadConfigFile", () => {
  it("rejects an unknown extension with WRD120 naming the file", () => {
    const path = write("system.txt", "system: {}\n");
    expect(diagnosticOf(() => loadConfigFile(path))).toMatchObject({ code: "WRD120", file: path });
  });

  it("reports a missing file as WRD100", () => {
    const path = join(dir, "absent.yaml");
    expect(diagnosticOf(() => loadConfigFile(path))).toMatchObject({ code: "WRD100", file: path });
  });
});

describe("loadConfigSet", () => {
  it("rejects a cell whose architecture differs from the system's with WRD201", () => {
    const cell = write("arm.yaml", arm64Cell);
    expect(diagnosticOf(() => loadConfigSet([examplePath("x86"), cell]))).toMatchObject({ code: "WRD201", file: cell });
  });

  it("rejects a cell name used twice with WRD202", () => {
    const a = write("a.yaml", x86Cell("twin"));
    const b = write("b.yaml", x86Cell("twin"));
    expect(diagnosticOf(() => loadConfigSet([examplePath("x86"), a, b]))).toMatchObject({ code: "WRD202" });
  });

  it("rejects a cell file in first position with WRD200", () => {
    const cell = write("first.yaml", x86Cell("first"));
    expect(diagnosticOf(() => loadConfigSet([cell]))).toMatchObject({ code: "WRD200", file: cell });
  });
});

describe("loadExampleSet", () => {
  it("loads both built-in examples with a root and two non-root cells", () => {
    for (const name of ["x86", "arm64"] as const) {
      const set = loadExampleSet(name);
      expect(set.cells.map((c) => c.config.name)).toEqual(["rt-bare-metal", "linux"]);
    }
  });
});
