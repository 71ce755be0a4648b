export { pinsOf } from "./cellForm.js";
export { type ConfigDocument, configToJson, documentToForm, fieldPath, parseConfigText } from "./configDocument.js";
export { configToYaml } from "./configToYaml.js";
export { enumName as enumNameOf, flagNames as flagNamesOf, hex, showBdf } from "./scalars.js";
