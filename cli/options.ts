/** Commander option parsers shared by the commands. */
import { inputError } from "../proofs/index.js";

/** Accumulates a repeatable option into a list. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A positive integer option value; anything else is a usage error (exit 2). */
export function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw inputError("WRD900", `${flag} expects a positive integer, got "${raw}"`);
  return n;
}
