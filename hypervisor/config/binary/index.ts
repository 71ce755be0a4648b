export { cellConfigSize } from "./cellCodec.js";
export { type DecodedConfig, type DecodeOptions, decodeConfig } from "./decodeConfig.js";
export { encodeCell, encodeSystem } from "./encodeConfig.js";
