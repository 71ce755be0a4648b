export { cCallGraph, x86IntelFiles } from "./cCallGraph.js";
export { type CellSurface, cellSurface, type SurfaceEntry } from "./cellSurface.js";
export { cSurface, mmioConditions } from "./cSurface.js";
export { surfaceMarkdown, surfaceSvg, surfaceText } from "./formatSurface.js";
export { legacyOf, legacyRules } from "./legacyHandlers.js";
export { checkSurfaceBudget, type SurfaceOverrun, type SurfaceTargetResult } from "./surfaceBudget.js";
export { type SurfaceDelta, surfaceDiff } from "./surfaceDiff.js";
export { coreFiles, tsCallGraph } from "./tsCallGraph.js";
export { type SurfaceReport, tsSurface } from "./tsSurface.js";
