/** The public surface of `hypervisor/`: the configuration formats and the executable core. */

export { entryPointsFor } from "./arch/entryPoints.js";
export { archFor, arm64, x86 } from "./arch/index.js";
export * from "./arch/x86/nestedEptEntry.js";
export * from "./arch/x86/nestedEptValidate.js";
export { nestedVmxAssign, nestedVmxEnabled } from "./arch/x86/vmx.js";
export { vmcsFieldByName, vmcsFields } from "./arch/x86/vmxFields.js";
export { type VmxCpu, vmxOf } from "./arch/x86/vmxState.js";
export * from "./config/binary/index.js";
export type { Decoded, Diagnostic } from "./config/diagnostic.js";
export * from "./config/flags.js";
export * from "./config/types.js";
export * from "./config/yaml/index.js";
export {
  coreEntryPoints,
  type EntryContext,
  type EntryPoint,
  hypercallAccess,
  rootOnlyRefusal,
} from "./core/entryPoints.js";
export * from "./core/index.js";
export * as rootDriver from "./driver/rootDriver.js";
export * from "./guest/commAgent.js";
export * from "./virtio/index.js";
