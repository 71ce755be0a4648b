/**
 * Against upstream-built `.cell` files, when WARDEN_UPSTREAM_CELLS names directories of them
 * (they are built locally from upstream's sources and never committed): every revision-14 file
 * is read and written back byte for byte; every revision-12/13 file decodes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeConfig, encodeCell, encodeSystem } from "../../../hypervisor/index.js";

const dirs = (process.env.WARDEN_UPSTREAM_CELLS ?? "").split(":").filter(Boolean);
if (dirs.length === 0)
  process.stderr.write("[warden] upstream .cell tests skipped: WARDEN_UPSTREAM_CELLS is not set\n");

describe.skipIf(dirs.length === 0)("upstream-built configurations", () => {
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".cell"))
      .map((f) => join(d, f)),
  );

  it("decode, and revision-14 files write back identically", () => {
    let identical = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      const arch = /arm64-/.test(file) ? "arm64" : /arm-/.test(file) ? "arm" : "x86";
      const d = decodeConfig(bytes, file, { arch });
      expect([file, d.ok]).toEqual([file, true]);
      if (!d.ok || d.value.origin.revision !== 14) continue;
      const out = d.value.kind === "system" ? encodeSystem(d.value.config) : encodeCell(d.value.config);
      expect([file, Buffer.from(out).equals(bytes.subarray(0, out.length))]).toEqual([file, true]);
      identical++;
    }
    process.stderr.write(`[warden] ${files.length} upstream files decoded, ${identical} revision-14 files identical\n`);
    expect(files.length).toBeGreaterThan(0);
  });
});
