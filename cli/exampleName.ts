import { type ExampleName, exampleNames, inputError } from "../proofs/index.js";

/** `--example`'s value, refused when unknown (it used to fall back to x86 silently and run everything). */
export function exampleName(name: string): ExampleName {
  const known = exampleNames.find((n) => n === name);
  if (!known) throw inputError("WRD900", `--example expects ${exampleNames.join(" or ")}, got "${name}"`);
  return known;
}
