/**
 * The C harness end to end: upstream Jailhouse's own core built from WARDEN_UPSTREAM_SRC, driven
 * through the conformance protocol, checked against CellLifecycle and against the TypeScript core
 * (diff-core), and a deliberately broken harness stub that diff-core must catch. Skipped, with a
 * message, when no upstream tree is given (CI has none).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadExampleSet } from "../../../proofs/pipeline/loadConfig.js";
import { conform } from "../../../proofs/refinement/conform.js";
import { builtinImplementation, lifecycleBinding } from "../../../proofs/refinement/index.js";
import { voteBinding } from "../../../proofs/refinement/voteBinding.js";
import {
  buildHarness,
  diffCore,
  harnessProcess,
  harnessSourceDir,
  upstreamImplementation,
} from "../../../proofs/upstream/index.js";

const upstream = process.env.WARDEN_UPSTREAM_SRC;
if (!upstream)
  process.stderr.write("[warden] C harness tests skipped: WARDEN_UPSTREAM_SRC does not name a Jailhouse tree\n");
const work = mkdtempSync(join(tmpdir(), "warden-harness-test-"));
const set = loadExampleSet("x86");

describe.skipIf(!upstream)("the C harness around upstream's core (WARDEN_UPSTREAM_SRC)", () => {
  const dir = upstream as string;
  const closers: (() => void)[] = [];
  afterAll(() => {
    for (const c of closers) c();
  });

  it("builds, names the upstream commit, and creates, starts and destroys a cell through the protocol", async () => {
    const built = buildHarness(dir, { work });
    expect(built.commit).toMatch(/^[0-9a-f]{40}$|^unknown/);
    const p = harnessProcess(built.binary, set);
    closers.push(p.close);
    const impl = await p.load("upstream");
    const cell = "rt-bare-metal";
    expect(await impl.perform({ op: "create", cell })).toBe("ok");
    expect((await impl.abstractState()).cells[cell]).toBe("SD0");
    expect(await impl.perform({ op: "create", cell })).toBe("EEXIST");
    expect(await impl.perform({ op: "start", cell, vote: "approve" })).toBe("ok");
    expect((await impl.abstractState()).cells[cell]).toBe("RUN");
    expect(await impl.perform({ op: "get_state", cell })).toBe("0");
    expect(await impl.perform({ op: "destroy", cell, vote: "approve" })).toBe("ok");
    const after = await impl.abstractState();
    expect(after.cells[cell]).toBe("absent");
    expect(after.count).toBe(1);
    // A second load starts from a fresh image (upstream's static state included).
    const again = await p.load("upstream");
    expect(await again.perform({ op: "destroy", cell, vote: "approve" })).toBe("ENOENT");
  });

  it("honours a create's and a destroy's silent list: a running cell named there fails when the broadcast times out, as in the TypeScript core", async () => {
    const p = harnessProcess(buildHarness(dir, { work }).binary, set);
    closers.push(p.close);
    const rt = "rt-bare-metal";
    for (const impl of [await p.load("upstream"), builtinImplementation(set, "upstream")]) {
      expect(await impl.perform({ op: "create", cell: rt })).toBe("ok");
      expect(await impl.perform({ op: "start", cell: rt, vote: "approve" })).toBe("ok");
      expect(await impl.perform({ op: "create", cell: "linux" })).toBe("ok");
      expect((await impl.abstractState()).cells[rt]).toBe("RUN");
      expect(await impl.perform({ op: "destroy", cell: "linux", vote: "approve", silent: [rt] })).toBe("ok");
      expect((await impl.abstractState()).cells[rt]).toBe("FL");
    }
    for (const impl of [await p.load("upstream"), builtinImplementation(set, "upstream")]) {
      expect(await impl.perform({ op: "create", cell: rt })).toBe("ok");
      expect(await impl.perform({ op: "start", cell: rt, vote: "approve" })).toBe("ok");
      expect(await impl.perform({ op: "create", cell: "linux", silent: [rt] })).toBe("ok");
      expect((await impl.abstractState()).cells).toMatchObject({ [rt]: "FL", linux: "SD0" });
    }
  });

  it("conforms to CellLifecycle and, poll by poll, to ManagementVote in upstream mode", async () => {
    const u = upstreamImplementation(dir, { work });
    closers.push(u.close);
    for (const binding of [lifecycleBinding, voteBinding]) {
      const report = await conform(set, "upstream", u.factory, { runs: 15, steps: 20, seed: 5 }, binding);
      expect(report.failure, binding.name).toBeUndefined();
      expect(report.stepsChecked, binding.name).toBeGreaterThan(50);
    }
  });

  it("agrees with the TypeScript core step by step (diff-core)", async () => {
    const p = harnessProcess(buildHarness(dir, { work }).binary, set);
    closers.push(p.close);
    const report = await diffCore(set, p, { runs: 15, steps: 20, seed: 9 });
    expect(report.failure).toBeUndefined();
    expect(report.steps).toBeGreaterThan(50);
  });

  it("catches a deliberately broken harness stub: a reset CPU that stays suspended", async () => {
    const broken = join(work, "broken-harness");
    cpSync(harnessSourceDir(), broken, { recursive: true });
    const arch = join(broken, "arch.c");
    const source = readFileSync(arch, "utf8");
    const resetting = /(void arch_reset_cpu\(unsigned int cpu_id\)\n\{[^}]*?)\tresume_cpu\(cpu_id\);\n/;
    expect(source).toMatch(resetting);
    writeFileSync(arch, source.replace(resetting, "$1"));
    const p = harnessProcess(buildHarness(dir, { work, harnessDir: broken }).binary, set);
    closers.push(p.close);
    const report = await diffCore(set, p, { runs: 30, steps: 20, seed: 9 });
    expect(report.failure).toBeDefined();
    expect(report.failure?.commands.some((c) => c.startsWith("start"))).toBe(true);
    expect(JSON.stringify(report.failure?.divergence.core)).not.toBe(
      JSON.stringify(report.failure?.divergence.upstream),
    );
  });

  it("names a missing arch hook and the upstream commit when the harness does not link", () => {
    const broken = join(work, "unlinked-harness");
    cpSync(harnessSourceDir(), broken, { recursive: true });
    const arch = join(broken, "arch.c");
    const hook = /void arch_cell_reset\(struct cell \*cell\)\n\{\n\}\n/;
    expect(readFileSync(arch, "utf8")).toMatch(hook);
    writeFileSync(arch, readFileSync(arch, "utf8").replace(hook, ""));
    expect(() => buildHarness(dir, { work, harnessDir: broken })).toThrow(
      /does not build against .*\(commit [0-9a-f]{40}\): missing symbol arch_cell_reset/,
    );
  });
});
