import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeCell } from "../../hypervisor/index.js";
import { loadExampleSet } from "../../proofs/index.js";
import { overlappingExample } from "../builders/overlappingExample.js";
import { isOneLineError, root, warden } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "warden-sim-"));
const script = (name: string, lines: readonly string[]) => {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};
const system = join(root, "examples/x86/qemu-x86.cell");

describe("warden sim", () => {
  it("runs the example vote script: locks, vetoes and approvals with upstream's results", () => {
    const r = warden(["sim", "examples/sim/vote-x86.sim"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("cell destroy linux: -EPERM");
    expect(r.stdout).toContain("cell shutdown rt-bare-metal: -EPERM");
    expect(r.stdout).toMatch(/cell shutdown rt-bare-metal: ok\ncell destroy linux: ok/);
    expect(r.stdout).toContain("disable: ok");
  });

  it("reports blocked and exits 1 when a silent active cell has no reply timeout", () => {
    const rt = loadExampleSet("x86").cells[0]?.config;
    if (!rt) throw new Error("example changed");
    writeFileSync(join(dir, "silent.cell"), encodeCell({ ...rt, msg_reply_timeout: 0n }));
    const file = script("blocked.sim", [
      `enable ${system}`,
      "cell create silent.cell",
      "cell start rt-bare-metal",
      "guest rt-bare-metal silent",
      "cell shutdown rt-bare-metal",
      "cell list",
    ]);
    const r = warden(["sim", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'cell shutdown rt-bare-metal: blocked (cell "rt-bare-metal" does not answer SHUTDOWN_REQUEST',
    );
    expect(r.stdout).not.toContain("cell list");
  });

  it("prints one JSON object per step and writes an ITF trace", () => {
    const itf = join(dir, "run.itf.json");
    const r = warden(["sim", "examples/sim/vote-x86.sim", "--json", "--itf", itf]);
    expect(r.code).toBe(0);
    const steps = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(steps[6]).toMatchObject({ command: "cell destroy linux", result: "-EPERM", violations: [] });
    const trace = JSON.parse(readFileSync(itf, "utf8"));
    expect(trace.vars).toContain("cells");
    expect(trace.states).toHaveLength(steps.length);
    expect(trace.states[4].cells["#map"].map((e: [string, unknown]) => e[0])).toEqual([
      "qemu-x86",
      "rt-bare-metal",
      "linux",
    ]);
  });

  it("upstream mode takes overlapping cells and exits 1 with the violated invariant; strict refuses with -EBUSY", () => {
    const set = overlappingExample();
    set.cells.forEach((c, i) => {
      writeFileSync(join(dir, `overlap${i}.cell`), encodeCell(c.config));
    });
    const file = script("overlap.sim", [`enable ${system}`, "cell create overlap0.cell", "cell create overlap1.cell"]);
    const upstream = warden(["sim", file]);
    expect(upstream.code).toBe(1);
    expect(upstream.stdout).toMatch(/cell create overlap1.cell: ok\n {2}violated memory-exclusive: host frame/);
    const strict = warden(["sim", file, "--mode", "strict"]);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toContain("cell create overlap1.cell: -EBUSY");
  });

  it("rejects an unknown command with one line naming the script and line, exit 2", () => {
    const file = script("bad.sim", [`enable ${system}`, "", "cell explode x"]);
    const r = warden(["sim", file]);
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain(`${file}: line 3`);
  });

  it("rejects a guest action on a cell without a running CPU as a script error", () => {
    const file = script("parked.sim", [
      `enable ${system}`,
      `cell create ${join(root, "examples/x86/rt-bare-metal.cell")}`,
      "guest rt-bare-metal read 0x0",
    ]);
    const r = warden(["sim", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("has no running CPU");
  });
});

describe("warden sim, virtio MSI", () => {
  it("runs the example: a foreign entry is refused, the masked event is delivered at the unmask", () => {
    const r = warden(["sim", "examples/sim/virtio-msi-x86.sim"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("guest rt-bare-metal virtio-read vda PENDING: 0x2");
    expect(r.stdout).toMatch(
      /virtio-write vda ADDR_LO 0xfee00000: ok \(delivered 0, traps 3, guest accesses 3, refused 1\)/,
    );
    expect(r.stdout).toMatch(/virtio-write vda MASK 0: ok \(delivered 1,/);
    expect(r.stdout).toContain("guest rt-bare-metal virtio-read vda PENDING: 0x0");
  });
});
