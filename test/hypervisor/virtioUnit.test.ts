import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CellConfig,
  configToYaml,
  decodeConfig,
  encodeCell,
  encodeDestination,
  msiRegs,
  parseConfigText,
  rootDriver,
  virtioAssign,
  virtioEvent,
  virtioOf,
  virtioWrite,
} from "../../hypervisor/index.js";
import { boot, drive } from "../builders/machine.js";
import { root } from "../e2e/run.js";

/** Appended to a cell document, so indented under its `cell:` key. */
const block = '  warden_virtio:\n    - { name: vda, base: "0x10000000", vectors: 2 }\n';

function cellFromYaml(text: string): CellConfig {
  const d = parseConfigText(text, "t.yaml", "yaml");
  if (!d.ok) throw new Error(`${d.error.field}: ${d.error.message}`);
  if (d.value.kind !== "cell") throw new Error("not a cell document");
  return d.value.cell;
}

describe("the warden_virtio extension block", () => {
  const bytes = new Uint8Array(readFileSync(join(root, "examples/x86/rt-bare-metal.cell")));
  const decoded = decodeConfig(bytes, "rt-bare-metal.cell");
  if (!decoded.ok || decoded.value.kind !== "cell") throw new Error("example cell does not decode");
  const yaml = configToYaml({ kind: "cell", cell: decoded.value.config });

  it("is read from YAML and written back, while the binary .cell stays byte-identical", () => {
    const withBlock = cellFromYaml(`${yaml}${block}`);
    expect(withBlock.warden_virtio).toEqual([{ name: "vda", base: 0x10000000n, vectors: 2 }]);
    expect(encodeCell(withBlock)).toEqual(bytes);
    expect(configToYaml({ kind: "cell", cell: withBlock })).toContain("warden_virtio:");
    expect(cellFromYaml(configToYaml({ kind: "cell", cell: withBlock }))).toEqual(withBlock);
    expect(yaml).not.toContain("warden_virtio");
  });

  it("refuses a vector count the unit cannot hold, naming the field", () => {
    const d = parseConfigText(
      `${yaml}  warden_virtio:\n    - { name: vda, base: "0x0", vectors: 99 }\n`,
      "t.yaml",
      "yaml",
    );
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.field).toMatch(/warden_virtio.*0.*vectors/);
  });
});

describe("the virtio unit in the cell unit list", () => {
  it("registers a created cell's devices with its CPUs, delivers to them through the CPU's interrupt count, and drops them at destroy", () => {
    const { hv, set } = boot("x86");
    const rt = set.cells.find((c) => c.config.name === "rt-bare-metal")?.config ?? expect.unreachable();
    virtioAssign(hv, [{ ...rt, warden_virtio: [{ name: "vda", base: 0x10000000n, vectors: 2 }] }]);
    expect(drive(hv, rootDriver.cellCreate(hv, rt)).result).toBe(0);
    const unit = virtioOf(hv);
    expect(unit.devices.map((d) => [d.name, d.cell, d.cpus])).toEqual([["vda", "rt-bare-metal", rt.cpus]]);
    const cpu = rt.cpus[0] ?? expect.unreachable();
    const before = hv.s.cpus.get(cpu)?.interrupts ?? 0;
    // Aim vector 1 at a root CPU: the trapped design refuses it; the entry keeps the cell's CPU.
    const foreign = encodeDestination("x86", 0, 1).addr;
    virtioWrite(hv, cpu, "vda", msiRegs.VEC_SEL, 1);
    virtioWrite(hv, cpu, "vda", msiRegs.ADDR_LO, Number(foreign));
    virtioWrite(hv, cpu, "vda", msiRegs.MASK, 0);
    virtioEvent(hv, "vda", 1);
    expect(unit.counters.refused).toBe(1);
    expect(hv.s.cpus.get(cpu)?.interrupts).toBe(before + 1);
    expect(hv.s.cpus.get(0)?.interrupts).toBe(0);
    expect(drive(hv, rootDriver.cellCommand(hv, "destroy", "rt-bare-metal")).result).toBe(0);
    expect(unit.devices).toEqual([]);
  });
});
