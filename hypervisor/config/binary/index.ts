export { cellConfigSize } from "./cellCodec.js";
export { type DecodedConfig, type DecodeOptions, decodeConfig } from "./decodeConfig.js";
export { encodeCell, encodeSystem } from "./encodeConfig.js";
export { CELL_DESCRIPTOR_SIZE, cellDescriptorIdentity, cellDescriptorTotalSize, readCellAt } from "./readCellAt.js";
export {
  encodeVirtioTrailer,
  readVirtioTrailer,
  VIRTIO_TRAILER_HEADER_SIZE,
  virtioTrailerCount,
  virtioTrailerSize,
} from "./virtioTrailer.js";
