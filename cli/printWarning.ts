import { type Diagnostic, formatDiagnostic } from "../proofs/index.js";

/** Warnings go to stderr, one line each. */
export const printWarning = (d: Diagnostic): void => {
  process.stderr.write(`warden: ${formatDiagnostic(d)}\n`);
};
