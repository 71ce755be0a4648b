import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { overlappingExampleYaml } from "../builders/overlappingExample.js";
import { isOneLineError, root, warden } from "./run.js";

const chromium = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));
const pdftotext = ["/usr/bin/pdftotext"].find((p) => existsSync(p));
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
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on("request", (r) => {
      if (!r.url().startsWith("file://")) errors.push(`network request: ${r.url()}`);
    });
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
        `^not verified: ${requirements - 1} of ${requirements} requirements proved or tested, \\d+ evidence items \\(0 failing`,
      ),
    );
    const dossier = JSON.parse(readFileSync(join(out, "dossier.json"), "utf8"));
    expect(dossier.traceability.rows).toHaveLength(requirements);
    const upstreamRow = dossier.traceability.rows.find(
      (row: { requirement: { id: string } }) => row.requirement.id === "REQ-IMPL-UPSTREAM",
    );
    expect(upstreamRow.status).toBe("missing");
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
    expect(md).toContain("| [REQ-MEM-ISOL](#req-mem-isol) | tested |");
    expect(md).toContain("| [REQ-MEM-HV](#req-mem-hv) | proved |");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain("```mermaid\nxychart-beta");
    expect(existsSync(join(out, "evidence-cache.json"))).toBe(true);
  });

  it.skipIf(!chromium)(
    "reads at 1280 px in a real browser: no page overflow, every diagram drawn in a box of its own at least 600 px wide, no console errors, no network requests",
    { timeout: 120_000 },
    async () => {
      const shots = mkdtempSync(join(tmpdir(), "warden-dossier-screens-"));
      const errors = await inBrowser(join(out, "dossier.html"), async (page) => {
        expect(await page.locator("pre.mermaid svg").count()).toBeGreaterThanOrEqual(requirements + 3);
        expect(await page.locator("#matrix tbody tr").count()).toBe(requirements);
        expect(await page.locator("section.requirement").count()).toBe(requirements);
        expect(await page.locator("#verdict").textContent()).toContain("verified");
        expect(await page.locator("#evidence td.freshness").first().textContent()).toMatch(/^new \(/);
        // A string: the page's DOM types are not in this project's TypeScript lib.
        const layout = (await page.evaluate(`({
          page: document.documentElement.scrollWidth - window.innerWidth,
          boxes: [...document.querySelectorAll(".diagram, .scroll")].map((b) => ({
            width: b.clientWidth,
            overflow: getComputedStyle(b).overflowX,
            svg: b.querySelector("svg")?.getBoundingClientRect().width ?? 0,
          })),
          lanes: [...document.querySelectorAll("#memory-map-svg g.lane")].map((g) => g.getAttribute("data-lane")),
        })`)) as { page: number; boxes: { width: number; overflow: string; svg: number }[]; lanes: string[] };
        expect(layout.page, "horizontal overflow of the page").toBeLessThanOrEqual(0);
        for (const box of layout.boxes) {
          expect(box.width).toBeGreaterThanOrEqual(600);
          expect(box.overflow).toBe("auto");
          expect(box.svg).toBeGreaterThan(0);
        }
        expect(layout.lanes).toEqual(["platform", "qemu-arm64 (root)", "rt-bare-metal", "linux"]);
        // Viewport shots (a full-page shot of a page this long is slow): scroll the part in, clip it.
        const clip = async (selector: string, file: string) => {
          await page.locator(selector).evaluate((e) => e.scrollIntoView());
          const box = await page.locator(selector).boundingBox();
          expect(box, selector).not.toBeNull();
          if (!box) return;
          const region = {
            x: box.x,
            y: Math.max(0, box.y),
            width: Math.min(box.width, 1280),
            height: Math.min(box.height, 900),
          };
          await page.screenshot({ path: join(shots, file), clip: region, timeout: 90_000 });
        };
        await clip("main", "summary.png");
        await clip("#memory-map-svg", "memory-map.png");
      });
      expect(errors).toEqual([]);
      process.stderr.write(`[dossier test] screenshots: ${shots}/summary.png, ${shots}/memory-map.png\n`);
      expect(existsSync(join(shots, "memory-map.png"))).toBe(true);
    },
  );

  it.skipIf(!chromium || !pdftotext)(
    "prints to PDF: several pages, text extractable, the hash and version on every page, every cell's lane on the memory-map page",
    { timeout: 180_000 },
    () => {
      const pdf = join(out, "dossier.pdf");
      const r = warden(["dossier", "--example", "arm64", "--out", out, "--cached", "--pdf", pdf]);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      const text = execFileSync(pdftotext as string, ["-layout", pdf, "-"], { encoding: "utf8" });
      const pages = text.split("\f").filter((p) => p.trim());
      expect(pages.length).toBeGreaterThan(1);
      const hash = JSON.parse(readFileSync(join(out, "dossier.json"), "utf8")).config.hash as string;
      for (const page of pages) expect(page).toContain(`configuration ${hash}`);
      const map = pages.find((p) => p.includes("Physical memory map") && p.includes("qemu-arm64 (root)"));
      expect(map, "the memory-map page").toBeDefined();
      for (const lane of ["platform", "rt-bare-metal", "linux"]) expect(map).toContain(lane);
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
    expect(stale.stdout).toMatch(/^short: evidence is stale: .*REQ-MEM-ISOL/m);
    expect(stale.stderr).toMatch(/replaces a stronger one \(revision \d+, (not )?verified\): .*REQ-MEM-ISOL/);
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
    expect(html).toMatch(/<tr class="failed"><td><a href="#req-REQ-MEM-ISOL">REQ-MEM-ISOL<\/a><\/td>/);
    if (chromium) {
      const errors = await inBrowser(join(out, "dossier.html"), async (page) => {
        const sequence = page.locator(
          'h3[id="cex-model:ResourceOwnership.NoUndeclaredSharing"] + pre.cex + p + div.diagram pre.mermaid svg',
        );
        expect(await sequence.count()).toBe(1);
        expect(await page.locator("#verdict").textContent()).toContain("not verified");
        await page.screenshot({ path: join(out, "dossier-failing.png"), timeout: 90_000 });
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
