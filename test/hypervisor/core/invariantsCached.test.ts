import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { destroyTable, mapRange, newTable, unmapRange } from "../../../hypervisor/core/pageTable.js";
import {
  allocFrame,
  checkInvariants,
  type Hypervisor,
  mappedLeaves,
  mappedRuns,
  pte,
  rootDriver,
  tableFrames,
  walkTables,
} from "../../../hypervisor/index.js";
import { boot, drive } from "../../builders/machine.js";
import { referenceInvariants } from "./referenceInvariants.js";

/** One move: a management call through the driver, or damage the invariants must see. */
const move = fc.oneof(
  fc.record({ kind: fc.constantFrom("create", "start", "set_loadable", "destroy"), cell: fc.nat({ max: 1 }) }),
  fc.record({
    kind: fc.constantFrom("leak", "pin", "pci", "ports", "cpu", "map", "unmap"),
    cell: fc.nat({ max: 2 }),
    at: fc.nat({ max: 0x3ffff }),
    count: fc.integer({ min: 1, max: 1024 }),
  }),
);
type Move = typeof move extends fc.Arbitrary<infer T> ? T : never;

function apply(hv: Hypervisor, configs: ReturnType<typeof boot>["set"]["cells"], m: Move): void {
  const config = configs[m.cell % configs.length]?.config;
  if (m.kind === "create" && config) drive(hv, rootDriver.cellCreate(hv, config));
  else if ((m.kind === "start" || m.kind === "set_loadable" || m.kind === "destroy") && config) {
    if (hv.s.cells.some((c) => c.name === config.name)) drive(hv, rootDriver.cellCommand(hv, m.kind, config.name));
  } else if ("at" in m) {
    const cell = hv.s.cells[m.cell % hv.s.cells.length];
    if (!cell) return;
    if (m.kind === "leak") allocFrame(hv.s);
    if (m.kind === "pin") cell.pins.set("0xfec00000", new Set([m.at % 24, 100]));
    if (m.kind === "pci") cell.pci.add(`0:${m.at % 256}`);
    // Bytes of ports cells are configured with (serial ports, PIT) or any other.
    const byte = [0x2f8 >> 3, 0x3f8 >> 3, 0x40 >> 3, m.at % 8192][m.count % 4] as number;
    if (m.kind === "ports") {
      // Into this cell and the root: a clash when this is not the root.
      cell.pio[byte] = (cell.pio[byte] as number) | (m.at & 0xff);
      const root = hv.s.cells[0] as (typeof hv.s.cells)[number];
      root.pio[byte] = (root.pio[byte] as number) | (m.at & 0x0f);
    }
    if (m.kind === "cpu") cell.cpus.add(m.at % 4);
    if (m.kind === "map") mapRange(hv.s, hv.arch.paging, cell.pageTable, m.at, m.at + 0x3a000, m.count, pte.READ, true);
    if (m.kind === "unmap") unmapRange(hv.s, hv.arch.paging, cell.pageTable, m.at, m.count);
  }
}

/** Checks after every move that the check reports what the reference does; returns the kinds reported. */
function agreeAlong(example: "x86" | "arm64", moves: readonly Move[]): Set<string> {
  const seen = new Set<string>();
  const { hv, set } = boot(example);
  expect(checkInvariants(hv)).toEqual(referenceInvariants(hv));
  for (const m of moves) {
    try {
      apply(hv, set.cells, m);
    } catch {
      // Damage may make a later call throw (e.g. a page pool run dry): the check still runs.
    }
    const fresh = referenceInvariants(hv);
    for (const v of fresh) seen.add(v.invariant);
    expect(checkInvariants(hv)).toEqual(fresh);
    expect(checkInvariants(hv, { fresh: true })).toEqual(fresh);
  }
  return seen;
}

const both: Move[] = [
  { kind: "create", cell: 0 },
  { kind: "create", cell: 1 },
];

describe("the invariant check over cached walks", () => {
  for (const example of ["x86", "arm64"] as const) {
    it(`reports what the full, uncached check reports, in order, after any moves (${example})`, () => {
      fc.assert(
        fc.property(fc.array(move, { maxLength: 10 }), (moves) => {
          agreeAlong(example, [...both, ...moves]);
        }),
        { numRuns: example === "x86" ? 10 : 15 },
      );
    });

    it(`agrees on the damage each rewritten check looks for (${example})`, () => {
      const damage = (kind: Move["kind"], cell: number, at = 0x3f, count = 1): Move => ({ kind, cell, at, count });
      const seen = agreeAlong(example, [
        ...both,
        damage("ports", 1),
        damage("pin", 1),
        damage("pci", 2),
        damage("leak", 0),
        damage("cpu", 1, 0),
        damage("map", 0, 0x3f000, 600),
        damage("unmap", 2, 0, 300),
        { kind: "destroy", cell: 0 },
      ]);
      // The damaged pins are the x86 IOAPIC's, which root holds there.
      const touched = ["pool-balance", "root-gains", "cell-bounds", "port-exclusive", "cpu-partition"];
      for (const invariant of example === "x86" ? [...touched, "pin-exclusive"] : touched)
        expect(seen).toContain(invariant);
    });
  }
});

describe("cached page-table walks", () => {
  const op = fc.record({
    kind: fc.constantFrom("map", "map", "unmap", "renew"),
    root: fc.nat({ max: 2 }),
    gfn: fc.oneof(
      fc.nat({ max: 0x7ffff }),
      fc.nat({ max: 1023 }).map((k) => k * 512),
    ),
    count: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constantFrom(512, 1024)),
    huge: fc.boolean(),
  });

  it("equal a fresh walk of every tree after any map, unmap and table renewal, including trees left unchanged", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const { hv } = boot("arm64");
        const paging = hv.arch.paging;
        const roots = [newTable(hv.s), newTable(hv.s), newTable(hv.s)];
        const agree = () => {
          for (const root of roots) {
            const walk = walkTables(hv.s, paging, root);
            expect(mappedLeaves(hv.s, paging, root)).toEqual(walk.leaves);
            const runs: { gfn: number; frame: number; count: number; flags: number }[] = [];
            for (const l of walk.leaves) {
              const last = runs.at(-1);
              if (
                last &&
                last.gfn + last.count === l.gfn &&
                last.frame + last.count === l.frame &&
                last.flags === l.flags
              )
                last.count += l.count;
              else runs.push({ ...l });
            }
            expect(mappedRuns(hv.s, paging, root)).toEqual(runs);
            expect(tableFrames(hv.s, paging, root)).toHaveLength(walk.tables);
          }
        };
        for (const o of ops) {
          const i = o.root;
          if (o.kind === "map")
            mapRange(
              hv.s,
              paging,
              roots[i] as number,
              o.gfn,
              o.gfn + 0x1000,
              o.count,
              pte.READ | (o.count & 2),
              o.huge,
            );
          if (o.kind === "unmap") unmapRange(hv.s, paging, roots[i] as number, o.gfn, o.count);
          // A freed root frame is handed out again: to a new root here, as to another cell's table in the core.
          if (o.kind === "renew") {
            destroyTable(hv.s, roots[i] as number);
            roots[i] = newTable(hv.s);
          }
          agree();
        }
      }),
      { numRuns: 40 },
    );
  });
});
