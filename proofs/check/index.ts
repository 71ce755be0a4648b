export { inputHash } from "./inputHash.js";
export { parseParams, type ResolvedModel, resolveModels } from "./resolveModels.js";
export { verdictName } from "./verdictName.js";
