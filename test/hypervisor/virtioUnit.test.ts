import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CellConfig,
  configToYaml,
  decodeConfig,
  encodeCell,
  encodeDestination,
  errno,
  msiRegs,
  parseConfigText,
  rootDriver,
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

  it("is read from YAML and written back; in binary it is a trailer after the bytes upstream reads, which stay identical", () => {
    const withBlock = cellFromYaml(`${yaml}${block}`);
    expect(withBlock.warden_virtio).toEqual([{ name: "vda", base: 0x10000000n, vectors: 2 }]);
    const encoded = encodeCell(withBlock);
    expect(encoded.subarray(0, bytes.length)).toEqual(bytes);
    expect(encoded.length).toBe(bytes.length + 16 + 48);
    expect(Buffer.from(encoded.subarray(bytes.length, bytes.length + 7)).toString("latin1")).toBe("WRDVIRT");
    const back = decodeConfig(encoded, "rt.cell");
    expect(back.ok && back.value.config).toEqual(withBlock);
    expect(back.warnings).toEqual([]);
    expect(encodeCell({ ...withBlock, warden_virtio: [] })).toEqual(bytes);
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

  it("refuses a binary trailer that is truncated or holds a vector count outside 1..32, naming the byte offset", () => {
    const encoded = encodeCell(cellFromYaml(`${yaml}${block}`));
    const truncated = decodeConfig(encoded.subarray(0, encoded.length - 4), "t.cell");
    expect(truncated.ok ? undefined : truncated.error).toMatchObject({ code: "WRD104", byteOffset: bytes.length });
    const bad = new Uint8Array(encoded);
    new DataView(bad.buffer).setUint32(bytes.length + 16 + 40, 0, true);
    const zero = decodeConfig(bad, "t.cell");
    expect(zero.ok ? undefined : zero.error).toMatchObject({ code: "WRD108", byteOffset: bytes.length + 16 + 40 });
  });
});

describe("the virtio unit in the cell unit list", () => {
  const vda = { name: "vda", base: 0x10000000n, vectors: 2 };

  it("registers the devices CELL_CREATE reads with the configuration, delivers to the cell's CPUs through their interrupt count, and drops them at destroy", () => {
    const { hv, set } = boot("x86");
    const rt = set.cells.find((c) => c.config.name === "rt-bare-metal")?.config ?? expect.unreachable();
    expect(drive(hv, rootDriver.cellCreate(hv, { ...rt, warden_virtio: [vda] })).result).toBe(0);
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

  it("refuses a device another cell holds (-EBUSY) and takes it once that cell is destroyed", () => {
    const { hv, set } = boot("x86");
    const [rt, linux] = set.cells.map((c) => c.config);
    if (!rt || !linux) throw new Error("the x86 example changed");
    expect(drive(hv, rootDriver.cellCreate(hv, { ...rt, warden_virtio: [vda] })).result).toBe(0);
    const cells = hv.s.cells.length;
    expect(drive(hv, rootDriver.cellCreate(hv, { ...linux, warden_virtio: [vda] })).result).toBe(-errno.EBUSY);
    expect(hv.s.cells.length).toBe(cells);
    expect(virtioOf(hv).devices.map((d) => d.cell)).toEqual(["rt-bare-metal"]);
    expect(drive(hv, rootDriver.cellCommand(hv, "destroy", "rt-bare-metal")).result).toBe(0);
    expect(drive(hv, rootDriver.cellCreate(hv, { ...linux, warden_virtio: [vda] })).result).toBe(0);
    expect(virtioOf(hv).devices.map((d) => [d.name, d.cell])).toEqual([["vda", "linux"]]);
  });

  it("refuses a device in a cell without CPUs (-EINVAL), leaving the hypervisor as it was", () => {
    const { hv, set } = boot("x86");
    const rt = set.cells.find((c) => c.config.name === "rt-bare-metal")?.config ?? expect.unreachable();
    const result = drive(hv, rootDriver.cellCreate(hv, { ...rt, cpus: [], warden_virtio: [vda] })).result;
    expect(result).toBe(-errno.EINVAL);
    expect(hv.s.cells.map((c) => c.name)).toEqual([hv.s.cells[0]?.name]);
    expect(hv.s.virtio?.devices ?? []).toEqual([]);
  });
});
