/**
 * Where the code behind each kind of evidence lives. The tool's own code is hashed where it
 * runs from (the sources under tsx, `dist/` when installed), so a rebuilt checker makes its old
 * verdicts stale; the hypervisor core and the test suite are hashed as sources.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../packageRoot.js";
import { fileHash, treeHash } from "./contentHash.js";

const runningRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Hash of a folder of Warden's running code, e.g. "proofs/explicit" or "models". */
export const toolHash = (folder: string): string => treeHash(join(runningRoot, folder));

/** Hash of the hypervisor core's sources, the code the audit, conformance and coverage are about. */
export const coreHash = (): string => treeHash(join(packageRoot, "hypervisor"), /\.(ts|ya?ml)$/);

/** Hash of a source folder of the checkout (test suites), "absent" in an installed package. */
export const sourceHash = (folder: string): string => treeHash(join(packageRoot, folder), /\.ts$/);

/** Hash of one module of the running code (a producer's own file, so changing how it judges makes its evidence stale). */
export const moduleHash = (url: string): string => fileHash(fileURLToPath(url));
