/** The public surface of `hypervisor/`: the configuration formats and the executable core. */
export * from "./config/binary/index.js";
export type { Decoded, Diagnostic } from "./config/diagnostic.js";
export * from "./config/flags.js";
export * from "./config/types.js";
export * from "./config/yaml/index.js";
