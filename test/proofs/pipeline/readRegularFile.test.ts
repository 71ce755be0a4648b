/** Inputs are read only when they are regular files (regression: `/dev/zero` as a script, policy or trace hung the run). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRegularFile } from "../../../proofs/index.js";

const dir = mkdtempSync(join(tmpdir(), "warden-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const codeOf = (path: string): string | undefined => {
  try {
    readRegularFile(path);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

describe("readRegularFile", () => {
  it("reads a regular file", () => {
    writeFileSync(join(dir, "a.yaml"), "x: 1\n");
    expect(readRegularFile(join(dir, "a.yaml")).toString()).toBe("x: 1\n");
  });
  it("refuses devices, directories and missing paths by code", () => {
    expect(codeOf("/dev/zero")).toBe("ENOTREG");
    expect(codeOf(dir)).toBe("EISDIR");
    expect(codeOf(join(dir, "missing"))).toBe("ENOENT");
  });
  const fifo = join(dir, "pipe.yaml");
  const made = spawnSync("mkfifo", [fifo]).status === 0 && existsSync(fifo);
  it.skipIf(!made)("refuses a FIFO without waiting for a writer", () => {
    expect(codeOf(fifo)).toBe("ENOTREG");
  });
});
