import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleBinaries } from "../../examples/build.js";
import { cellFlags, memFlags } from "../../hypervisor/index.js";
import { exampleNames, loadConfigSet, loadExampleSet, packageRoot } from "../../proofs/index.js";

describe.each(exampleNames)("the built-in %s example", (name) => {
  const set = loadExampleSet(name);

  it("has committed binaries equal to what examples/build.ts generates from the YAML", () => {
    for (const [file, bytes] of exampleBinaries(name)) {
      expect([
        file,
        Buffer.from(readFileSync(join(packageRoot, "examples", name, file))).equals(Buffer.from(bytes)),
      ]).toEqual([file, true]);
    }
  });

  it("loads the same from its binaries as from its YAML", () => {
    const dir = join(packageRoot, "examples", name);
    const root = set.system.config.root_cell.name;
    const fromBinary = loadConfigSet([
      join(dir, `${root}.cell`),
      ...set.cells.map((c) => join(dir, `${c.config.name}.cell`)),
    ]);
    expect(fromBinary.cells.map((c) => c.config)).toEqual(set.cells.map((c) => c.config));
    expect(fromBinary.system.config).toEqual(set.system.config);
  });

  it("has a voting real-time cell with a reply timeout and a passive Linux cell", () => {
    const [rt, linux] = set.cells.map((c) => c.config);
    expect([rt?.flags ?? 0, rt?.msg_reply_timeout].map(String)).toEqual([
      String((rt?.flags ?? 0) & ~cellFlags.PASSIVE_COMMREG),
      "100000",
    ]);
    expect((linux?.flags ?? 0) & cellFlags.PASSIVE_COMMREG).toBe(cellFlags.PASSIVE_COMMREG);
  });

  it("gives non-root cells disjoint CPUs and memory apart from ROOTSHARED sharing, all inside root's regions", () => {
    const physical = (c: (typeof set.cells)[number]) =>
      c.config.memory_regions.filter((m) => m.size > 0n && !(m.flags & memFlags.COMM_REGION));
    const [a, b] = set.cells;
    if (!a || !b) expect.unreachable();
    expect(a.config.cpus.filter((x) => b.config.cpus.includes(x))).toEqual([]);
    for (const m of physical(a)) {
      for (const n of physical(b)) {
        const overlap = m.phys_start < n.phys_start + n.size && n.phys_start < m.phys_start + m.size;
        if (overlap) expect(m.flags & n.flags & memFlags.ROOTSHARED).toBe(memFlags.ROOTSHARED);
      }
    }
    const rootRegions = set.system.config.root_cell.memory_regions;
    for (const m of [...physical(a), ...physical(b)]) {
      const inside = rootRegions.some(
        (r) => r.phys_start <= m.phys_start && m.phys_start + m.size <= r.phys_start + r.size,
      );
      expect([m.phys_start.toString(16), inside]).toEqual([m.phys_start.toString(16), true]);
    }
  });
});
