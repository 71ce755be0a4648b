/** What the CLI needs from the configuration formats, re-exported so `cli/` stays out of `hypervisor/`. */
export {
  type ConfigDocument,
  type ConfigSet,
  configToJson,
  configToYaml,
  type Diagnostic,
  encodeCell,
  encodeSystem,
} from "../../hypervisor/index.js";
export {
  allCells,
  type ConfigFormat,
  type ExampleName,
  exampleNames,
  examplePath,
  formatOf,
  type LoadedFile,
  type LoadOptions,
  loadConfigFile,
  loadConfigSet,
  loadExampleSet,
} from "./loadConfig.js";
export { MAX_INPUT_BYTES, readRegularFile } from "./readRegularFile.js";
export { repositoryRoot } from "./repositoryRoot.js";
