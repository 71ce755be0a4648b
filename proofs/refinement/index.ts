export { type ConformOptions, type ConformReport, conform, type Departure } from "./conform.js";
export { builtinImplementation, type CoreModule, coreImplementation } from "./coreImplementation.js";
export { type AbstractState, type Command, describeCommand, type Implementation } from "./implementation.js";
