/** The dossier's generated diagrams: the configuration's memory map and the code-size chart. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeSizeChart, configSetArbitrary, memoryMap } from "../../../generators/index.js";
import { type ConfigSet, memFlags } from "../../../hypervisor/index.js";
import { loadExampleSet } from "../../../proofs/index.js";
import { overlappingExample } from "../../builders/overlappingExample.js";

const cellsOf = (set: ConfigSet) => [set.system.config.root_cell, ...set.cells.map((c) => c.config)];
const listed = (set: ConfigSet) =>
  cellsOf(set).flatMap((c, ci) =>
    c.memory_regions.flatMap((m, i) =>
      m.size > 0n && (m.flags & memFlags.COMM_REGION) === 0n ? [{ node: `c${ci}r${i}`, m, ci }] : [],
    ),
  );
const edges = (text: string, kind = "shared|overlap") =>
  [...text.matchAll(new RegExp(`^ {2}(c\\d+r\\d+) (?:<-\\.->|<==>)\\|(?:${kind})\\| (c\\d+r\\d+)$`, "gm"))].map((m) => [
    m[1],
    m[2],
  ]);

describe("memoryMap", () => {
  it("draws every non-empty region once with its range, and joins exactly the non-root regions that meet", () => {
    fc.assert(
      fc.property(configSetArbitrary(loadExampleSet("x86"), "overlapping"), (set) => {
        const text = memoryMap(set);
        const regions = listed(set);
        for (const { node, m } of regions) {
          const line = text.split("\n").filter((l) => l.startsWith(`    ${node}[`));
          expect(line, node).toHaveLength(1);
          expect(line[0]).toContain(`0x${m.phys_start.toString(16)} to 0x${(m.phys_start + m.size - 1n).toString(16)}`);
        }
        const expected = regions.flatMap((a, k) =>
          regions
            .slice(k + 1)
            .filter(
              (b) =>
                a.ci !== b.ci &&
                a.m.phys_start < b.m.phys_start + b.m.size &&
                b.m.phys_start < a.m.phys_start + a.m.size &&
                ((a.ci > 0 && b.ci > 0) || (a.m.flags & memFlags.ROOTSHARED && b.m.flags & memFlags.ROOTSHARED) !== 0n),
            )
            .map((b) => [a.node, b.node]),
        );
        const key = (e: (string | undefined)[]) => e.join("-");
        expect(edges(text).map(key).sort()).toEqual(expected.map(key).sort());
      }),
      { numRuns: 60 },
    );
  });

  it("shows the planted overlap of the rt and linux cells, and none in the unchanged example", () => {
    expect(edges(memoryMap(overlappingExample()))).toContainEqual(["c1r0", "c2r0"]);
    expect(
      edges(memoryMap(loadExampleSet("x86"))).filter(([a, b]) => !a?.startsWith("c0") && !b?.startsWith("c0")),
    ).toEqual([]);
  });

  it("draws an illegal overlap as a violation, declared sharing and one ivshmem link as shared", () => {
    const bad = memoryMap(overlappingExample());
    expect(edges(bad, "overlap")).toContainEqual(["c1r0", "c2r0"]);
    expect(bad).toContain("class c1r0,c2r0 violation");
    const declared = [{ cells: ["rt-bare-metal", "linux"], start: 0x3b000000n, end: 0x3c000000n }];
    expect(edges(memoryMap(overlappingExample(), declared), "shared")).toContainEqual(["c1r0", "c2r0"]);
    expect(edges(memoryMap(overlappingExample(), declared), "overlap")).toEqual([]);
    // rt joins linux's ivshmem link (00:0e.0) from PCI domain 1 with the same regions: shared.
    const set = loadExampleSet("x86");
    const [rt, linux] = set.cells;
    if (!rt || !linux) throw new Error("example changed");
    const dev = linux.config.pci_devices[0];
    if (!dev) throw new Error("example changed");
    const start = rt.config.memory_regions.length;
    const joined: ConfigSet = {
      ...set,
      cells: [
        {
          ...rt,
          config: {
            ...rt.config,
            memory_regions: [...rt.config.memory_regions, ...linux.config.memory_regions.slice(3, 7)],
            pci_devices: [{ ...dev, domain: 1, shmem_dev_id: 0, shmem_regions_start: start }],
          },
        },
        linux,
      ],
    };
    const text = memoryMap(joined);
    expect(edges(text, "overlap")).toEqual([]);
    expect(edges(text, "shared")).toContainEqual([`c1r${start}`, "c2r3"]);
  });
});

describe("codeSizeChart", () => {
  it("plots each target's code lines as a bar and its limit as a line, with the axis above both", () => {
    const text = codeSizeChart([
      { target: "core+x86", code: 3586, limit: 10000 },
      { target: "core+arm64", code: 12000, limit: 10000 },
    ]);
    expect(text.split("\n")[0]).toBe("xychart-beta");
    expect(text).toContain('x-axis ["core+x86", "core+arm64"]');
    expect(text).toContain("bar [3586, 12000]");
    expect(text).toContain("line [10000, 10000]");
    expect(Number(text.match(/0 --> (\d+)/)?.[1])).toBeGreaterThanOrEqual(12000);
  });
});
