import { describe, expect, it } from "vitest";
import { isOneLineError, warden } from "./run.js";

describe("warden audit", () => {
  it("prints one JSON record per file", () => {
    const r = warden(["audit", "test/fixtures/audit", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { file: string }[] };
    expect(out.files.map((f) => f.file)).toContain("strings.c");
  });
  it("meets Warden's own hypervisor budget", () => {
    const r = warden(["audit", "hypervisor", "--budget", "hypervisor/budget.yaml"]);
    expect(r.stdout).toMatch(/core\+x86: \d+ \/ 10000/);
    expect(r.code).toBe(0);
  });
  it("exits 2 with one line for a missing budget file", () => {
    const r = warden(["audit", "hypervisor", "--budget", "nope.yaml"]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
  });
});
