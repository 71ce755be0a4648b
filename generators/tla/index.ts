export { type EmitOptions, type EmittedTla, emitTla } from "./emitTla.js";
export { tlaExpr, tlaValue } from "./tlaExpr.js";
