/** The virtio-mmio interrupt unit: Warden's MSI extension proposal and the legacy shared line. */
export * from "./msiDestination.js";
export * from "./msiRegisters.js";
export * from "./virtioIrq.js";
export * from "./virtioIrqState.js";
