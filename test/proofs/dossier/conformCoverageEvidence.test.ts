import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unreachedFunctions } from "../../../proofs/dossier/conformCoverageEvidence.js";
import { packageRoot } from "../../../proofs/index.js";

describe("conformance coverage evidence", () => {
  it("lists the core's functions no conformance run entered, with file and line", () => {
    const file = join(packageRoot, "hypervisor/core/cellCreate.ts");
    const fn = (name: string, line: number) => ({ name, loc: { start: { line } } });
    const final = { [file]: { fnMap: { 0: fn("cellCreate", 10), 1: fn("rollback", 40) }, f: { 0: 12, 1: 0 } } };
    expect(unreachedFunctions(final)).toEqual(["hypervisor/core/cellCreate.ts:40 rollback"]);
  });
});
