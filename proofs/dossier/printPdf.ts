/**
 * Prints the dossier's HTML to PDF through Chromium (playwright-core driving the system's
 * browser, never a downloaded one), after Mermaid has drawn every diagram. Every page carries the
 * page number, the configuration hash and Warden's version, so a printed page is traceable alone.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { atomicWrite } from "../../generators/index.js";
import { inputError } from "../diagnostics/InputError.js";

const candidates = [
  "/usr/bin/chromium",
  "/usr/lib/chromium/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The Chromium to print with: WARDEN_CHROMIUM, else the first system one found. */
export function findChromium(): string | undefined {
  const named = process.env.WARDEN_CHROMIUM;
  if (named) return existsSync(named) ? named : undefined;
  return candidates.find((p) => existsSync(p));
}

export interface PdfStamp {
  readonly configHash: string;
  readonly version: string;
}

export async function printPdf(htmlFile: string, pdfFile: string, stamp: PdfStamp): Promise<void> {
  const chromium = findChromium();
  if (!chromium)
    throw inputError(
      "WRD504",
      "no Chromium to print the PDF with: install Debian's chromium (apt-get install chromium) or set WARDEN_CHROMIUM",
      { file: pdfFile },
    );
  const { chromium: browserType } = await import("playwright-core");
  const browser = await browserType.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${resolve(htmlFile)}`);
    await page.waitForFunction(
      "document.querySelectorAll('pre.mermaid svg').length === document.querySelectorAll('pre.mermaid').length",
      undefined,
      { timeout: 120_000 },
    );
    const small = 'style="font-size:8px;width:100%;padding:0 12mm;font-family:sans-serif;color:#555"';
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div ${small}>Warden certification dossier</div>`,
      footerTemplate: `<div ${small}><span>configuration ${stamp.configHash} · Warden ${stamp.version}</span><span style="float:right">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: "16mm", bottom: "18mm", left: "12mm", right: "12mm" },
    });
    atomicWrite(pdfFile, pdf);
  } finally {
    await browser.close();
  }
}
