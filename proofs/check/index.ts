export { inputHash } from "./inputHash.js";
export { lifecycleDiagram } from "./lifecycleDiagram.js";
export { type ManifestEntry, manifestSchema, readManifest, tlaDirName } from "./manifest.js";
export { manifestTla, tlaRoot } from "./manifestTla.js";
export { parseParams, type ResolvedModel, resolveModels } from "./resolveModels.js";
export { verdictName } from "./verdictName.js";
export { voteDiagram } from "./voteDiagram.js";
