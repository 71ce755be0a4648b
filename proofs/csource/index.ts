/** Jailhouse configurations written in C: compiled as upstream's kbuild does, findings mapped to source lines. */
export { cCacheDir, compileCConfig } from "./compileCConfig.js";
export { initCParser } from "./cParser.js";
export { setJailhouseSrc } from "./jailhouseTree.js";
export { onSourceLine } from "./onSourceLine.js";
export { formatSourceLocation, type SourceLocation, sourceLocationOf } from "./sourceLocations.js";
export { yamlLocationOf } from "./yamlLocations.js";
