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

/** Refuses two outputs of one run naming the same file: the second would silently replace the first. */
export function refuseSharedOutputs(outputs: readonly (string | undefined)[]): void {
  const seen = new Map<string, string>();
  for (const output of outputs) {
    if (output === undefined) continue;
    const key = resolve(output);
    if (seen.has(key))
      throw inputError("WRD121", `two outputs name ${output}; choose a different path for each`, { file: output });
    seen.set(key, output);
  }
}
