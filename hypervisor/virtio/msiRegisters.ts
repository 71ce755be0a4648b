/**
 * The register layout of Warden's virtio-mmio MSI extension. A PROPOSAL of Warden's own, after
 * the seed "A Lightweight Virtual Interrupt Controller" (KVM Forum 2019): it is not part of any
 * ratified virtio specification. Offsets are from the device's virtio-mmio base; the block sits
 * in the 0x0c0..0x0df gap the virtio 1.2 register map leaves unused. All registers are 32 bits.
 *
 * | offset | name | access | meaning |
 * | --- | --- | --- | --- |
 * | 0x060 | InterruptStatus | R | (virtio-mmio) legacy cause bits: 0 used buffer, 1 configuration change |
 * | 0x064 | InterruptACK | W | (virtio-mmio) clears the legacy cause bits written as 1 |
 * | 0x0c0 | MSI_VEC_NUM | R | number of vectors N (vector 0: configuration change, 1..N-1: queues) |
 * | 0x0c4 | MSI_VEC_SEL | RW, trapped | selects the vector the next four registers address |
 * | 0x0c8 | MSI_ADDR_LO | RW, trapped or not | message address bits 31:0 of the selected vector |
 * | 0x0cc | MSI_ADDR_HI | RW, trapped or not | message address bits 63:32 |
 * | 0x0d0 | MSI_DATA | RW, trapped or not | message data |
 * | 0x0d4 | MSI_MASK | RW, trapped | write 1: mask the selected vector; 0: unmask (the hypervisor validates where its design says) |
 * | 0x0d8 | MSI_PENDING | R | pending bits of vectors 0..31 |
 *
 * ADDR/DATA are trapped in the `trapped` design; in the `delivery` and `unmask` designs they live
 * on a page the guest writes without a trap (the device latches them against MSI_VEC_SEL).
 */
export const msiRegs = {
  INTERRUPT_STATUS: 0x060,
  INTERRUPT_ACK: 0x064,
  VEC_NUM: 0x0c0,
  VEC_SEL: 0x0c4,
  ADDR_LO: 0x0c8,
  ADDR_HI: 0x0cc,
  DATA: 0x0d0,
  MASK: 0x0d4,
  PENDING: 0x0d8,
} as const;

/** Legacy InterruptStatus bits (virtio-mmio). */
export const legacyCause = { USED_BUFFER: 1, CONFIG_CHANGE: 2 } as const;

/**
 * Where the hypervisor validates destinations (`legacy`: no MSI at all, one shared line through
 * the interrupt controller and the guest reads InterruptStatus).
 */
export type IrqDesign = "legacy" | "trapped" | "delivery" | "unmask";
export const irqDesigns: readonly IrqDesign[] = ["legacy", "trapped", "delivery", "unmask"];
