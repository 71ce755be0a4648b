/** The public surface of `models/`: the modelling kernel and the models written on it. */
export * from "./kernel/index.js";
export { findModel, type ModelEntry, ModelParamError, modelRegistry } from "./registry.js";
