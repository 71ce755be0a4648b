import { configFacts, loadConfigSet } from "../proofs/index.js";
import { printWarning } from "./printWarning.js";

/** The `--config SYSTEM CELL…` option: the model facts of that configuration set, if given. */
export function factsOf(files: readonly string[] | undefined): ReturnType<typeof configFacts> | undefined {
  return files && files.length > 0 ? configFacts(loadConfigSet(files, { onWarning: printWarning })) : undefined;
}
