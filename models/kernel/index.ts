/** The modelling kernel: values, the expression tree, its typed surface and the model structure. */
export * from "./ast.js";
export * from "./expr.js";
export * from "./freeInputs.js";
export * from "./model.js";
export * from "./values.js";
