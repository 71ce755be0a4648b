import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHarness, firstDifference, type Observation } from "../../../proofs/upstream/index.js";
import { INTENTIONAL_DIFFERENCES } from "../../../proofs/upstream/intentionalDifferences.js";
import { normalizeRuns } from "../../../proofs/upstream/observation.js";

const page = 4096n;

describe("diff-core's observation", () => {
  it("compares translations, not layout: any split of a mapping into runs normalises the same", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        (sizes, commPage) => {
          const base = 0x100000n;
          let at = base;
          const runs = sizes.map((n) => {
            const r = { virt: at, phys: at + 0x4000000n, size: BigInt(n) * page, flags: 3 };
            at += r.size;
            return r;
          });
          const comm = commPage === undefined ? undefined : base + BigInt(commPage) * page;
          const whole = normalizeRuns([{ virt: base, phys: base + 0x4000000n, size: at - base, flags: 3 }], comm);
          expect(normalizeRuns(runs, comm)).toEqual(whole);
          if (comm !== undefined && comm < at) expect(whole.some((r) => r.includes(" comm "))).toBe(true);
        },
      ),
    );
  });

  it("names the first differing field and both values", () => {
    const cell = {
      name: "a",
      id: 1,
      loadable: false,
      state: 2,
      msg: 0,
      reply: 0,
      cpus: [1],
      map: ["0x0 0x1000 0x0 7"],
    };
    const o: Observation = { disabled: false, hung: false, cells: [cell], cpus: [] };
    expect(firstDifference(o, o)).toBeUndefined();
    const other = { ...o, cells: [{ ...cell, map: ["0x0 0x1000 0x0 5"] }] };
    expect(firstDifference(o, other)).toEqual({ field: "map of a", core: cell.map, upstream: ["0x0 0x1000 0x0 5"] });
    const failed = { ...o, cpus: [{ cpu: 1, cell: "a", failed: true, suspended: false, mode: "parked" }] };
    const running = { ...o, cpus: [{ cpu: 1, cell: "a", failed: false, suspended: false, mode: "parked" }] };
    expect(firstDifference(failed, running)?.field).toBe("cpu 1 failed");
  });

  it("explains only the declared difference: upstream's root missing memory after a destroy", () => {
    const explains = (d: Parameters<(typeof INTENTIONAL_DIFFERENCES)[number]["explains"]>[0]) =>
      INTENTIONAL_DIFFERENCES.some((x) => x.explains(d));
    const core = ["0x0 0x2000 0x0 7"];
    const less = ["0x0 0x1000 0x0 7"];
    expect(
      explains({
        step: 3,
        command: "destroy 'a' (the cell's answer: approve)",
        field: "map of root",
        core,
        upstream: less,
      }),
    ).toBe(true);
    expect(
      explains({
        step: 3,
        command: "destroy 'a' (the cell's answer: approve)",
        field: "map of root",
        core: less,
        upstream: core,
      }),
    ).toBe(false);
    expect(explains({ step: 3, command: "create cell 'a'", field: "map of root", core, upstream: less })).toBe(false);
  });

  it("refuses a directory that is not a Jailhouse tree, naming what to give (exit 3)", () => {
    expect(() => buildHarness("/nonexistent-jailhouse")).toThrow(/not a Jailhouse source tree.*WARDEN_UPSTREAM_SRC/);
    try {
      buildHarness("/nonexistent-jailhouse");
    } catch (e) {
      expect((e as { diagnostic: { code: string } }).diagnostic.code).toBe("WRD502");
    }
  });

  /** A directory shaped like a Jailhouse tree whose core files cannot build. */
  const fakeTree = () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-fake-jailhouse-"));
    mkdirSync(join(dir, "hypervisor"));
    for (const f of ["control", "paging", "mmio", "pci", "ivshmem", "printk", "lib"])
      writeFileSync(join(dir, "hypervisor", `${f}.c`), "#include <jailhouse/entry.h>\n");
    return dir;
  };

  it("without a C compiler says what to install (WRD502, exit 3)", () => {
    const was = process.env.WARDEN_CC;
    process.env.WARDEN_CC = "/nonexistent/gcc";
    try {
      expect(() => buildHarness(fakeTree(), { work: mkdtempSync(join(tmpdir(), "warden-h-")) })).toThrow(
        /no C compiler "\/nonexistent\/gcc".*apt-get install gcc/,
      );
    } finally {
      if (was === undefined) delete process.env.WARDEN_CC;
      else process.env.WARDEN_CC = was;
    }
  });

  it.skipIf(spawnSync("gcc", ["--version"]).status !== 0)(
    "names the missing header and the tree's commit when the harness does not build (WRD503)",
    () => {
      expect(() => buildHarness(fakeTree(), { work: mkdtempSync(join(tmpdir(), "warden-h-")) })).toThrow(
        /does not build against .*\(commit unknown \(not a git checkout\)\): missing header jailhouse\/\S+\.h/,
      );
    },
  );
});
