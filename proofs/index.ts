/** The public surface of `proofs/`: evidence producers and the pipeline stages the CLI chains. */
export { type DiagnosticCode, diagnosticCodes } from "./diagnostics/codes.js";
export { formatDiagnostic } from "./diagnostics/formatDiagnostic.js";
export { InputError, inputError } from "./diagnostics/InputError.js";
export { packageRoot, version } from "./packageRoot.js";
