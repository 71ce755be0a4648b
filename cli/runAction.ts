/**
 * Maps a command handler's outcome to Warden's exit codes:
 * 0 success, 1 a property violated or a proof failed, 2 bad input or usage, 3 a required tool is
 * missing. Bad input prints one line; internal errors print one line and the stack only with
 * WARDEN_DEBUG=1.
 */
import { OutputError } from "../generators/index.js";
import { formatDiagnostic, InputError, SolverIncomplete } from "../proofs/index.js";

export type ExitCode = 0 | 1 | 2 | 3;

export function runAction<A extends unknown[]>(
  handler: (...args: A) => Promise<ExitCode> | ExitCode,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await handler(...args);
    } catch (error) {
      code = reportThrown(error);
    }
    process.exitCode = code;
  };
}

/** Maps an exception to its exit code and prints one line: 2 (3 for a missing tool) for bad input, 70 for a Warden defect. */
export function reportThrown(error: unknown): number {
  if (error instanceof InputError) {
    process.stderr.write(`warden: ${formatDiagnostic(error.diagnostic)}\n`);
    return error.diagnostic.code.startsWith("WRD5") ? 3 : 2;
  }
  if (error instanceof OutputError) {
    const d = { code: "WRD122", severity: "error" as const, file: error.path, message: `cannot write (${error.code})` };
    process.stderr.write(`warden: ${formatDiagnostic(d)}\n`);
    return 2;
  }
  if (error instanceof SolverIncomplete) {
    // A stage that needs a definite answer got none: no verdict, so the run fails without being a defect.
    process.stderr.write(`warden: unknown: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`warden: internal error: ${message.split("\n")[0]} (set WARDEN_DEBUG=1 for details)\n`);
  if (process.env.WARDEN_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
