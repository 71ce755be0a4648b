import type { Diagnostic } from "../../hypervisor/index.js";

/**
 * Thrown by pipeline stages when the user's input is wrong. The CLI turns it into one line on
 * stderr and exit code 2. Everything else that is thrown is a Warden bug.
 */
export class InputError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = "InputError";
    this.diagnostic = diagnostic;
  }
}

/** Shorthand for an error-severity diagnostic wrapped in an InputError. */
export function inputError(
  code: string,
  message: string,
  where: Omit<Diagnostic, "code" | "message" | "severity"> = {},
): InputError {
  return new InputError({ code, severity: "error", message, ...where });
}
