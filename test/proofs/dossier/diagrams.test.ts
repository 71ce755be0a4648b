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
const edges = (text: string) =>
  [...text.matchAll(/^ {2}(c\d+r\d+) <-\.->\|shared\| (c\d+r\d+)$/gm)].map((m) => [m[1], m[2]]);

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
