/**
 * Validates JUnit XML with libxml2 (xmllint-wasm, from npm) against test/fixtures/junit.xsd, the
 * common Ant/Jenkins JUnit schema's rules written out as XSD. Nothing is fetched.
 */
import { readFileSync } from "node:fs";
import { validateXML } from "xmllint-wasm";

const xsd = readFileSync(new URL("../../fixtures/junit.xsd", import.meta.url), "utf8");

/** libxml2's complaints, empty when every document is well-formed and valid (one worker for all). */
export async function junitErrors(xml: string | readonly string[]): Promise<string[]> {
  const docs = (typeof xml === "string" ? [xml] : xml).map((contents, i) => ({ fileName: `report${i}.xml`, contents }));
  const r = await validateXML({ xml: docs, schema: [xsd] });
  return r.valid ? [] : r.errors.map((e) => e.message);
}
