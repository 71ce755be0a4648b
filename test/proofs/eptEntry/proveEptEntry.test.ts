import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { eptSmtMutants, proveEptEntry } from "../../../proofs/eptEntry/index.js";

const native = spawnSync("z3", ["-version"], { encoding: "utf8" }).status === 0;
if (!native) process.stderr.write("[warden] nested-EPT entry proof runs on the wasm Z3 only: no z3 on PATH\n");

describe("the nested-EPT per-entry check, bit-precisely", () => {
  it("is proved for every 64-bit entry at every level and every region (wasm Z3)", async () => {
    const results = await proveEptEntry();
    expect(results.map((r) => `${r.name}: ${r.verdict}`)).toEqual([
      "level 1 leaf: unsat",
      "level 2 leaf: unsat",
      "level 2 table: unsat",
      "level 3 leaf: unsat",
      "level 3 table: unsat",
      "level 4 table: unsat",
    ]);
  }, 120_000);

  /** The obligation each planted mistake breaks (all of them, with a native z3). */
  const breaks: Readonly<Record<(typeof eptSmtMutants)[number], string>> = {
    "small-span": "level 2 leaf",
    "no-write-right": "level 1 leaf",
    "no-address-bits": "level 4 table",
    "region-end-inclusive": "level 1 leaf",
  };
  for (const mutant of eptSmtMutants) {
    it(`catches the planted mistake ${mutant} with a counterexample entry`, async () => {
      const results = await proveEptEntry({ mutant, ...(native ? { native: "z3" } : { only: [breaks[mutant]] }) });
      const caught = results.filter((r) => r.verdict === "sat");
      expect(caught.map((r) => r.name)).toContain(breaks[mutant]);
      expect(caught[0]?.output).toMatch(/define-fun e \(\) \(_ BitVec 64\)/);
    }, 120_000);
  }

  it.skipIf(!native)("gives the same verdicts on a native z3", async () => {
    const results = await proveEptEntry({ native: "z3" });
    expect(results.every((r) => r.verdict === "unsat")).toBe(true);
  });
});
