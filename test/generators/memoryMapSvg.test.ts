/** The memory map on an address axis: a lane per cell, carve-outs in root's lane, sharing versus violations. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configSetArbitrary, memoryMapSvg } from "../../generators/index.js";
import { type ConfigSet, memFlags } from "../../hypervisor/index.js";
import { loadExampleSet } from "../../proofs/index.js";
import { OVERLAP_AT, overlappingExample } from "../builders/overlappingExample.js";

const drawn = (set: ConfigSet) =>
  [set.system.config.root_cell, ...set.cells.map((c) => c.config)].flatMap((c, lane) =>
    c.memory_regions.flatMap((m, i) =>
      m.size > 0n && (m.flags & memFlags.COMM_REGION) === 0n ? [{ lane, name: c.name, m, i }] : [],
    ),
  );
const titles = (svg: string, kind: string) =>
  [...svg.matchAll(new RegExp(`<g class="region ${kind}"><title>([^<]*)</title>`, "g"))].map((m) => m[1] ?? "");

describe("memoryMapSvg", () => {
  it("draws every non-empty region once in its cell's lane, with its range and where it was read from", () => {
    fc.assert(
      fc.property(configSetArbitrary(loadExampleSet("x86"), "overlapping"), (set) => {
        const map = memoryMapSvg(set);
        expect(map.lanes).toEqual([
          "platform",
          `${set.system.config.root_cell.name} (root)`,
          ...set.cells.map((c) => c.config.name),
        ]);
        const boxes = [...titles(map.svg, "ram"), ...titles(map.svg, "io"), ...titles(map.svg, "shared")];
        const regions = drawn(set);
        expect(boxes).toHaveLength(regions.length);
        for (const { name, m, i } of regions) {
          const range = `0x${m.phys_start.toString(16)}–0x${(m.phys_start + m.size - 1n).toString(16)}`;
          expect(
            boxes.filter((t) => t.startsWith(`${name} region ${i}: ${range}`)),
            `${name} ${i}`,
          ).toHaveLength(1);
        }
        // Every overlap between regions of two non-root cells that are not both ROOTSHARED is a violation.
        const nonRoot = regions.filter((r) => r.lane > 0);
        const expected = nonRoot.flatMap((a, k) =>
          nonRoot
            .slice(k + 1)
            .filter(
              (b) =>
                a.lane !== b.lane &&
                a.m.phys_start < b.m.phys_start + b.m.size &&
                b.m.phys_start < a.m.phys_start + a.m.size &&
                (a.m.flags & b.m.flags & memFlags.ROOTSHARED) === 0n,
            ),
        );
        expect(map.violations).toBe(expected.length);
      }),
      { numRuns: 60 },
    );
  });

  it("shows each non-root cell's memory carved out of the root's RAM, the platform windows, and no violation on the example", () => {
    const map = memoryMapSvg(loadExampleSet("x86"));
    expect(map.violations).toBe(0);
    const carved = titles(map.svg, "carved");
    expect(carved.some((t) => t.startsWith("carved out of qemu-x86 region 1 for rt-bare-metal (its region 0)"))).toBe(
      true,
    );
    expect(carved.filter((t) => t.includes("for linux"))).toHaveLength(2);
    expect(titles(map.svg, "platform").map((t) => t.split(":")[0])).toEqual([
      "hypervisor memory",
      "PCI MMCONFIG window",
      "IOMMU unit 0",
      "IOAPIC 0 (irqchips[0])",
    ]);
    const arm = memoryMapSvg(loadExampleSet("arm64"));
    expect(titles(arm.svg, "platform").some((t) => t.startsWith("GICD window"))).toBe(true);
  });

  it("marks the planted overlap of the rt and linux cells as a violation, not as sharing", () => {
    // rt's moved MiB straddles linux's regions 0 and 2: two overlaps.
    const map = memoryMapSvg(overlappingExample());
    expect(map.violations).toBe(2);
    expect(map.svg).toContain(`VIOLATION: undeclared overlap 0x${OVERLAP_AT.toString(16)}`);
    const declared = memoryMapSvg(overlappingExample(), [
      { cells: ["rt-bare-metal", "linux"], start: OVERLAP_AT, end: OVERLAP_AT + 0x100000n },
    ]);
    expect(declared.violations).toBe(0);
  });
});
