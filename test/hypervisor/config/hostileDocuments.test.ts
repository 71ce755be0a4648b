/** Hostile YAML/JSON shapes are bad input: a WRD110/WRD111 diagnostic, never an exception. */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../../hypervisor/index.js";
import { hostileDocuments } from "../../builders/hostileDocuments.js";

describe("parseConfigText on hostile documents", () => {
  for (const [name, text] of Object.entries(hostileDocuments)) {
    it(`${name}: refused with a diagnostic`, () => {
      const d = parseConfigText(text, name, name.endsWith(".json") ? "json" : "yaml");
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.error.code).toMatch(/^WRD11[01]$/);
    });
  }
  it("an alias bomb is named as such (regression: it escaped as an internal error, exit 70)", () => {
    const d = parseConfigText(hostileDocuments["alias-bomb.yaml"] ?? "", "b.yaml", "yaml");
    expect(d.ok ? "" : d.error.message).toMatch(/^YAML cannot be expanded: Excessive alias count/);
  });
  it("a unicode name over 31 bytes is refused at its field", () => {
    const d = parseConfigText(hostileDocuments["long-unicode-name.yaml"] ?? "", "u.yaml", "yaml");
    expect(d.ok ? "" : `${d.error.field}: ${d.error.message}`).toMatch(/^cell\.name: /);
  });
});
