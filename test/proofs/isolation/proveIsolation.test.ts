import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ConfigSet, encodeCell, memFlags } from "../../../hypervisor/index.js";
import { loadConfigSet, loadExampleSet, proveIsolation, type SharingDeclaration } from "../../../proofs/index.js";
import { overlappingExample } from "../../builders/overlappingExample.js";
import { root } from "../../e2e/run.js";

const verdicts = async (set: ConfigSet, policy: SharingDeclaration[] = []) =>
  Object.fromEntries((await proveIsolation(set, policy)).map((r) => [r.rule.id, r.verdict]));

describe("proveIsolation", () => {
  it("proves every rule on both built-in examples, each by a script that asks the solver something", async () => {
    const scripts: { name: string; smt2: string; z3: string }[] = [];
    for (const name of ["x86", "arm64"] as const) {
      const results = await proveIsolation(loadExampleSet(name));
      expect(results.every((r) => r.verdict === "proved")).toBe(true);
      expect(results.length).toBeGreaterThanOrEqual(15);
      for (const r of results) {
        // Vacuous exactly when the rule has nothing to state; otherwise every part is a real question.
        expect([r.rule.id, r.encoding === "vacuous"]).toEqual([r.rule.id, r.parts.length === 0]);
        for (const p of r.parts) {
          expect(p.smt2).not.toMatch(/\(assert false\)|\(or false\)|\(or \)/);
          expect(p.smt2).toMatch(/\(define-fun (d0|cell1) /);
          expect(p.smt2.trimEnd().endsWith("(check-sat)")).toBe(true);
          scripts.push({ name: `${name} ${p.name}`, smt2: p.smt2, z3: p.z3 });
        }
      }
      expect(results.filter((r) => r.encoding === "raw").length).toBeGreaterThanOrEqual(8);
    }
    // Saved obligations re-run on a native z3, when there is one, with the same verdicts and no error.
    const native = process.env.WARDEN_Z3 ?? (spawnSync("z3", ["-version"]).status === 0 ? "z3" : undefined);
    if (!native) process.stderr.write("[warden] native z3 re-run skipped: no z3 on PATH\n");
    for (const s of native ? scripts : []) {
      const run = spawnSync(native as string, ["-in"], { input: s.smt2, encoding: "utf8" });
      expect([s.name, run.stdout.trim()]).toEqual([s.name, s.z3]);
    }
  });

  it("finds planted overlapping memory with a re-validated witness naming both regions", async () => {
    const results = await proveIsolation(overlappingExample());
    const mem = results.find((r) => r.rule.id === "WRD-MEM-DISJOINT");
    expect(mem?.verdict).toBe("violated");
    const w = mem?.witnesses[0];
    expect([w?.first.cell, w?.second.cell].sort()).toEqual(["linux", "rt-bare-metal"]);
    expect(w && w.at >= 0x3b080000n && w.at < 0x3b180000n).toBe(true);
  });

  it("reports byte offsets of the descriptors for binary inputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-iso-"));
    const set = overlappingExample();
    const [rt] = set.cells;
    writeFileSync(join(dir, "rt.cell"), encodeCell(rt?.config ?? expect.unreachable()));
    const ex = join(root, "examples/x86");
    const binary = loadConfigSet([join(ex, "qemu-x86.cell"), join(dir, "rt.cell"), join(ex, "linux.cell")]);
    const mem = (await proveIsolation(binary)).find((r) => r.rule.id === "WRD-MEM-DISJOINT");
    const offsets = [mem?.witnesses[0]?.first, mem?.witnesses[0]?.second].map((r) => [r?.cell, r?.byteOffset]);
    expect(offsets).toContainEqual(["rt-bare-metal", 132 + 8]);
    const linuxOffset = offsets.find(([c]) => c === "linux")?.[1] as number;
    const linuxBytes = readFileSync(join(ex, "linux.cell"));
    expect([0x3b000000n, 0x3b100000n]).toContain(linuxBytes.readBigUInt64LE(linuxOffset));
  });

  it("accepts an overlap the sharing policy declares, and only between the declared cells", async () => {
    const policy = [{ cells: ["rt-bare-metal", "linux"], start: 0x3b000000n, end: 0x3c000000n, reason: "test" }];
    expect((await verdicts(overlappingExample(), policy))["WRD-MEM-DISJOINT"]).toBe("proved");
    const wrongCells = [{ ...policy[0], cells: ["rt-bare-metal", "someone-else"] }] as SharingDeclaration[];
    expect((await verdicts(overlappingExample(), wrongCells))["WRD-MEM-DISJOINT"]).toBe("violated");
  });

  it("flags a region over the hypervisor's memory, and a CPU given to two cells", async () => {
    const set = loadExampleSet("x86");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const onHv = { phys_start: 0x3a100000n, virt_start: 0x200000n, size: 0x1000n, flags: memFlags.READ };
    const bad: ConfigSet = {
      ...set,
      cells: [
        { ...rt, config: { ...rt.config, cpus: [2, 3], memory_regions: [...rt.config.memory_regions, onHv] } },
        linux,
      ],
    };
    const v = await verdicts(bad);
    expect([v["WRD-MEM-HYPERVISOR"], v["WRD-CPU-DISJOINT"], v["WRD-MEM-IN-ROOT"]]).toEqual([
      "violated",
      "violated",
      "violated",
    ]);
  });
});

describe("the MMU-500 stream-ID rule", () => {
  it("finds two cells whose id/mask entries match one stream, and accepts disjoint ones", async () => {
    const set = loadExampleSet("arm64");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const stream = async (rtIds: number[], linuxIds: number[]) =>
      (
        await proveIsolation({
          ...set,
          cells: [
            { ...rt, config: { ...rt.config, stream_ids: rtIds } },
            { ...linux, config: { ...linux.config, stream_ids: linuxIds } },
          ],
        })
      ).find((r) => r.rule.id === "WRD-STREAM-EXCLUSIVE");
    expect((await stream([0x3], [0x4]))?.verdict).toBe("proved");
    // rt's entry 0x0 with mask 0x7 covers streams 0-7, linux's 0x4 among them.
    const clash = await stream([0x70000], [0x4]);
    expect(clash?.verdict).toBe("violated");
    expect(clash?.witnesses[0]?.at).toBe(0n);
  });
});
