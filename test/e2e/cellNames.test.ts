/**
 * Cell names travel from a configuration to a model instance exactly as the configuration spells
 * them: a valid set with a cell named `rt.bare-metal` or `rt bare metal` is checked, not refused
 * with exit 2 for a name the command-line parameter syntax would not accept.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, warden } from "./run.js";

describe("cell names outside the command-line name syntax", () => {
  for (const name of ["rt.bare-metal", "rt bare metal"]) {
    it(`checks the models instantiated from a set with a cell named "${name}"`, () => {
      const dir = mkdtempSync(join(tmpdir(), "warden-names-"));
      const file = join(dir, "set.yaml");
      const text = readFileSync(join(root, "examples/x86/system.yaml"), "utf8");
      writeFileSync(file, text.replace("  - name: rt-bare-metal", `  - name: "${name}"`));
      expect(warden(["config", "show", file]).code).toBe(0);
      const r = warden(["check", "CellLifecycle", "ManagementVote", "--config", file, "--json"]);
      expect([r.code, r.stderr.includes("WRD301")]).toEqual([0, false]);
      expect(r.stdout).toContain(JSON.stringify(name).slice(1, -1));
    });
  }
});
