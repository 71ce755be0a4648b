export { fromItfValue, type ItfValue, toItfValue } from "./itfValue.js";
export { type ItfTrace, type TraceInput, toItf } from "./toItf.js";
