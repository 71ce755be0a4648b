import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOneLineError, root, warden } from "./run.js";

const chromium = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));

describe("warden dossier", () => {
  const out = mkdtempSync(join(tmpdir(), "warden-dossier-"));

  it("writes HTML, Markdown and JSON with a traceability row per requirement and verified evidence", {
    timeout: 180_000,
  }, () => {
    const r = warden(["dossier", "--example", "arm64", "--out", out, "--strict"]);
    expect(r.stderr).toContain("[dossier] conformance");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^verified: 16 of 16 requirements verified, \d+ evidence items \(0 failing\)/);
    const dossier = JSON.parse(readFileSync(join(out, "dossier.json"), "utf8"));
    expect(dossier.traceability.rows).toHaveLength(16);
    for (const e of dossier.evidence) expect(Object.keys(e.inputs).length, e.id).toBeGreaterThan(0);
    expect(dossier.traceability.orphans).toContain("model:ResourceOwnership.HoldersExist");
    const md = readFileSync(join(out, "dossier.md"), "utf8");
    expect(md).toContain("| REQ-MEM-ISOL |");
    expect(md).toContain("```mermaid\nflowchart TD");
  });

  it.skipIf(!chromium)(
    "renders in a real browser: every diagram as SVG, no console errors, a matrix row per requirement",
    { timeout: 120_000 },
    async () => {
      const { chromium: browserType } = await import("playwright-core");
      const browser = await browserType.launch({ executablePath: chromium as string, args: ["--no-sandbox"] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(`file://${join(out, "dossier.html")}`);
        await page.waitForFunction(
          "document.querySelectorAll('pre.mermaid svg').length === document.querySelectorAll('pre.mermaid').length",
          undefined,
          { timeout: 60_000 },
        );
        expect(await page.locator("pre.mermaid svg").count()).toBeGreaterThanOrEqual(2);
        expect(await page.locator("#matrix tbody tr").count()).toBe(16);
        expect(await page.locator("#verdict").textContent()).toContain("verified");
        await page.screenshot({ path: join(out, "dossier.png"), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it("rejects a requirements link that no evidence producer makes, naming the field", () => {
    const bad = join(out, "requirements.yaml");
    writeFileSync(
      bad,
      readFileSync(join(root, "proofs/requirements.yaml"), "utf8").replace(
        "rule:WRD-CPU-ROOT-KEEPS",
        "rule:WRD-NO-SUCH-RULE",
      ),
    );
    const r = warden(["dossier", "--example", "arm64", "--out", out], { WARDEN_REQUIREMENTS: bad });
    expect(r.code).toBe(2);
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain("requirements[1].links[0]");
  });
});
