import { describe, expect, it } from "vitest";
import { mapRange } from "../../../hypervisor/core/pageTable.js";
import { allocFrame, type CellState, checkInvariants, pte } from "../../../hypervisor/index.js";
import { bootAll } from "../../builders/machine.js";

/** Each invariant is shown to fire on a structure corrupted the way it guards against. */
describe("the invariant check", () => {
  const corruptions: [string, (hv: ReturnType<typeof bootAll>["hv"]) => void][] = [
    ["cpu-partition", (hv) => hv.s.cells[1]?.cpus.add(3)],
    ["pool-balance", (hv) => allocFrame(hv.s)],
    ["root-gains", (hv) => hv.s.cells[0]?.pins.get("0xfec00000")?.add(100)],
    ["root-gains", (hv) => hv.s.cells[0]?.pci.add("0:99")],
    [
      "unique-cell",
      (hv) => hv.s.cells.push({ ...(hv.s.cells[1] as CellState), cpus: new Set(), dataFrames: [], extraFrames: [] }),
    ],
    ["port-exclusive", (hv) => hv.s.cells[2]?.pio.fill(0xff, 0x2f8 >> 3, (0x2f8 >> 3) + 1)],
    [
      "memory-exclusive",
      (hv) => mapRange(hv.s, hv.arch.paging, hv.s.cells[2]?.pageTable as number, 0x90000, 0x3f000, 1, pte.READ, false),
    ],
    [
      "hypervisor-exposed",
      (hv) =>
        mapRange(hv.s, hv.arch.paging, hv.s.cells[1]?.pageTable as number, 0x90000, hv.s.poolBase, 1, pte.READ, false),
    ],
  ];
  for (const [invariant, corrupt] of corruptions) {
    it(`reports ${invariant}`, () => {
      const { hv } = bootAll();
      expect(checkInvariants(hv)).toEqual([]);
      corrupt(hv);
      expect(checkInvariants(hv).map((v) => v.invariant)).toContain(invariant);
    });
  }
});
