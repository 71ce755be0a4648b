import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { overlappingExampleYaml } from "../builders/overlappingExample.js";
import { isOneLineError, root, warden } from "./run.js";

const chromium = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));
const requirements = (readFileSync(join(root, "proofs/requirements.yaml"), "utf8").match(/^ {2}- id: REQ-/gm) ?? [])
  .length;

interface Item {
  id: string;
  result: string;
  freshness: string;
  producedAt: string;
  changedInputs?: string[];
  counterexample?: { text: string; itf?: unknown };
  metrics?: Record<string, number>;
}
const evidenceOf = (out: string): Item[] => JSON.parse(readFileSync(join(out, "dossier.json"), "utf8")).evidence;
const byId = (items: Item[], id: string) => items.find((e) => e.id === id) as Item;

/** Opens a dossier in Chromium, waits until every Mermaid block is an SVG, and hands the page to `check`. */
async function inBrowser(
  html: string,
  check: (page: import("playwright-core").Page) => Promise<void>,
): Promise<string[]> {
  const { chromium: browserType } = await import("playwright-core");
  const browser = await browserType.launch({ executablePath: chromium as string, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${html}`);
    await page.waitForFunction(
      "document.querySelectorAll('pre.mermaid svg').length === document.querySelectorAll('pre.mermaid').length",
      undefined,
      { timeout: 60_000 },
    );
    await check(page);
    return errors;
  } finally {
    await browser.close();
  }
}

/**
 * One output directory, so later runs can reuse the evidence of earlier ones (the cache lives
 * there); a copy of the x86 set in a temporary directory is the input that changes between runs.
 */
const strictCode = process.env.WARDEN_UPSTREAM_SRC ? 0 : 1;

describe("warden dossier", () => {
  const out = mkdtempSync(join(tmpdir(), "warden-dossier-"));
  const setDir = mkdtempSync(join(tmpdir(), "warden-dossier-set-"));
  cpSync(join(root, "examples/x86"), setDir, { recursive: true });
  const system = join(setDir, "system.yaml");
  const original = readFileSync(system, "utf8");

  it("runs every producer and writes HTML, Markdown, JSON and the cache: a row per requirement, all verified", {
    timeout: 600_000,
  }, () => {
    const r = warden(["dossier", "--example", "arm64", "--out", out, "--strict"]);
    expect(r.stderr).toMatch(/\[dossier\] +\d+\/\d+ conformance of the core to the models: lifecycle:upstream running/);
    // The C harness is x86 only: on arm64 the agreement with upstream is missing, never verified, and --strict says so.
    expect(r.code, r.stdout + r.stderr.slice(-2000)).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^not verified: ${requirements - 1} of ${requirements} requirements verified, \\d+ evidence items \\(0 failing`,
      ),
    );
    const dossier = JSON.parse(readFileSync(join(out, "dossier.json"), "utf8"));
    expect(dossier.traceability.rows).toHaveLength(requirements);
    const upstreamRow = dossier.traceability.rows.find(
      (row: { requirement: { id: string } }) => row.requirement.id === "REQ-IMPL-UPSTREAM",
    );
    expect(upstreamRow.coverage).toBe("incomplete");
    for (const e of dossier.evidence) expect(Object.keys(e.inputs).length, e.id).toBeGreaterThan(0);
    expect(dossier.traceability.orphans).toContain("model:ResourceOwnership.HoldersExist");
    const items = evidenceOf(out);
    const mutants = byId(items, "mutants:conformance");
    expect(mutants.result, JSON.stringify(mutants)).toBe("pass");
    expect(mutants.metrics?.total).toBeGreaterThan(10);
    expect(mutants.metrics?.caught).toBe(mutants.metrics?.total);
    const coverage = byId(items, "coverage:hypervisor");
    expect(coverage.result, JSON.stringify(coverage)).toBe("pass");
    expect(coverage.metrics?.lines).toBeGreaterThanOrEqual(90);
    const tlc = byId(items, "tlc:CellLifecycle");
    if (process.env.WARDEN_TLA2TOOLS) expect(tlc.result).toBe("pass");
    else {
      expect(tlc.result).toBe("not run");
      expect(readFileSync(join(out, "dossier.md"), "utf8")).toMatch(/TLC did not run \(no TLC jar/);
    }
    const md = readFileSync(join(out, "dossier.md"), "utf8");
    expect(md).toContain("| REQ-MEM-ISOL |");
    expect(md).toContain("```mermaid\nflowchart TD");
    expect(md).toContain("```mermaid\nxychart-beta");
    expect(existsSync(join(out, "evidence-cache.json"))).toBe(true);
  });

  it.skipIf(!chromium)(
    "renders in a real browser: every diagram as SVG (memory map and code-size chart included), no console errors, a matrix row per requirement",
    { timeout: 120_000 },
    async () => {
      const errors = await inBrowser(join(out, "dossier.html"), async (page) => {
        expect(await page.locator("pre.mermaid svg").count()).toBeGreaterThanOrEqual(5);
        for (const heading of ["Physical memory map of the configuration", "Code size of the hypervisor core"]) {
          const svg = page.locator(`h2:has-text("${heading}") + pre.mermaid svg`);
          expect(await svg.count(), heading).toBe(1);
          expect((await svg.boundingBox())?.height ?? 0, heading).toBeGreaterThan(50);
        }
        expect(await page.locator("#matrix tbody tr").count()).toBe(requirements);
        expect(await page.locator("#verdict").textContent()).toContain("verified");
        expect(await page.locator("#evidence td.freshness").first().textContent()).toMatch(/^new \(/);
        await page.screenshot({ path: join(out, "dossier.png"), fullPage: true });
      });
      expect(errors).toEqual([]);
    },
  );

  it("reuses evidence whose inputs are unchanged, marks it stale when an input changes, and --strict then fails", {
    timeout: 600_000,
  }, () => {
    const first = warden(["dossier", "--config", system, "--out", out, "--strict"]);
    // --strict: without an upstream tree REQ-IMPL-UPSTREAM lacks evidence, so every run exits 1.
    expect(first.code, first.stderr.slice(-2000)).toBe(strictCode);
    // Another configuration: its models and proofs run; the mutants, coverage and budget do not depend on it.
    expect(first.stderr).toMatch(/planted-mutant detection: conformance reused, fresh \(produced 20\d\d-/);
    expect(first.stderr).toMatch(/isolation proofs \(Z3\): all-rules running/);
    const before = evidenceOf(out);
    expect(byId(before, "coverage:hypervisor").freshness).toBe("reused");
    expect(byId(before, "rule:WRD-MEM-DISJOINT").freshness).toBe("new");

    const again = warden(["dossier", "--config", system, "--out", out, "--strict"]);
    expect(again.code).toBe(strictCode);
    expect(again.stdout).toMatch(/ 0 new, \d+ reused, 0 stale/);
    expect(byId(evidenceOf(out), "rule:WRD-MEM-DISJOINT")).toMatchObject({
      freshness: "reused",
      producedAt: byId(before, "rule:WRD-MEM-DISJOINT").producedAt,
    });

    writeFileSync(system, original.replace("msg_reply_timeout: 100000", "msg_reply_timeout: 200000"));
    const stale = warden(["dossier", "--config", system, "--out", out, "--strict", "--cached"]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^not verified: /);
    expect(stale.stdout).toMatch(/without fresh passing evidence: .*REQ-MEM-ISOL/);
    const staleItems = evidenceOf(out);
    expect(byId(staleItems, "rule:WRD-MEM-DISJOINT")).toMatchObject({ freshness: "stale", changedInputs: ["config"] });
    expect(byId(staleItems, "mutants:conformance").freshness).toBe("reused");
    expect(readFileSync(join(out, "dossier.md"), "utf8")).toMatch(/rule:WRD-MEM-DISJOINT is stale: config changed/);

    const renewed = warden(["dossier", "--config", system, "--out", out, "--strict"]);
    expect(renewed.code).toBe(strictCode);
    expect(byId(evidenceOf(out), "rule:WRD-MEM-DISJOINT").freshness).toBe("new");
    expect(renewed.stderr).toMatch(/code-size budget: hypervisor reused, fresh/);
  });

  it("shows the counterexample when evidence fails, and exits 1", { timeout: 300_000 }, async () => {
    // rt-bare-metal's RAM moved onto linux's (the shared planted-overlap fixture).
    writeFileSync(system, overlappingExampleYaml());
    const r = warden(["dossier", "--config", system, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not verified: .*failing/);
    const failed = byId(evidenceOf(out), "rule:WRD-MEM-DISJOINT");
    expect(failed.result).toBe("fail");
    expect(failed.counterexample?.text).toMatch(/address 0x3b0[0-9a-f]+ is in (linux|rt-bare-metal) memory region/);
    const model = byId(evidenceOf(out), "model:ResourceOwnership.NoUndeclaredSharing");
    expect(model.result).toBe("fail");
    expect(existsSync(join(out, "counterexamples/model_ResourceOwnership.NoUndeclaredSharing.itf.json"))).toBe(true);
    const html = readFileSync(join(out, "dossier.html"), "utf8");
    expect(html).toContain('<h2 id="counterexamples">Counterexamples</h2>');
    expect(html).toMatch(/<tr class="failing"><td>REQ-MEM-ISOL<\/td>/);
    if (chromium) {
      const errors = await inBrowser(join(out, "dossier.html"), async (page) => {
        const sequence = page.locator(
          'h3[id="cex-model:ResourceOwnership.NoUndeclaredSharing"] + pre.cex + p + pre.mermaid svg',
        );
        expect(await sequence.count()).toBe(1);
        expect(await page.locator("#verdict").textContent()).toContain("not verified");
        await page.screenshot({ path: join(out, "dossier-failing.png"), fullPage: true });
      });
      expect(errors).toEqual([]);
    }
    writeFileSync(system, original);
  });

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
