import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { inputError } from "./InputError.js";

/** Refuses an output path that names one of the inputs: Warden never overwrites what a user gave. */
export function refuseInputs(output: string, inputs: readonly string[]): void {
  const canonical = (p: string): string => (existsSync(p) ? realpathSync(p) : resolve(p));
  const out = canonical(output);
  for (const input of inputs) {
    if (canonical(input) === out) {
      throw inputError("WRD121", `output ${output} is an input file; choose another path`, { file: output });
    }
  }
}
