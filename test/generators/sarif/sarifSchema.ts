/**
 * The SARIF 2.1.0 JSON schema as shipped in the npm package @microsoft/jest-sarif
 * (lib/schemas/sarif-2.1.0-rtm.5.json, the schema of the 2.1.0 standard), compiled with Ajv's
 * draft-04 class and its URI formats. Nothing is fetched: the schema comes from node_modules.
 */
import { createRequire } from "node:module";
import AjvModule from "ajv-draft-04";
import formatsModule from "ajv-formats";

// Both are CommonJS modules whose class and plugin sit on `default`.
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;
const require = createRequire(import.meta.url);
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
// The schema's language-tag pattern has a stray `]` that is legal only without the u flag.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, logger: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about a log, empty when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): string[] {
  return validate(log)
    ? []
    : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}
