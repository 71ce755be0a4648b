/** The public surface of `hypervisor/`: the configuration formats and the executable core. */
export type { Decoded, Diagnostic } from "./config/diagnostic.js";
