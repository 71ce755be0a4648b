import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createVirtioIrq,
  decodeDestination,
  encodeDestination,
  type IrqDesign,
  irqDeliver,
  irqDeviceEvent,
  irqGuestRead,
  irqGuestWrite,
  msiRegs,
} from "../../hypervisor/index.js";

const unit = (design: IrqDesign, arch: "x86" | "arm64" = "x86") =>
  createVirtioIrq(design, arch, [{ name: "vda", cell: "a", cpus: [1, 2], vectors: 2 }], 0x80a0000n);

/** The guest aims the selected vector at `cpu` (address low, then data) and unmasks it. */
function program(s: ReturnType<typeof unit>, cpu: number, vector: number, target: number): void {
  const { addr, data } = encodeDestination(s.arch, target, vector, s.gicrBase);
  irqGuestWrite(s, cpu, "vda", msiRegs.VEC_SEL, vector);
  irqGuestWrite(s, cpu, "vda", msiRegs.ADDR_LO, Number(addr & 0xffff_ffffn));
  irqGuestWrite(s, cpu, "vda", msiRegs.DATA, data);
  irqGuestWrite(s, cpu, "vda", msiRegs.MASK, 0);
}

describe("MSI destinations", () => {
  it("round-trip for every CPU in both formats, with seeds reported by fast-check", () => {
    fc.assert(
      fc.property(fc.constantFrom("x86" as const, "arm64" as const), fc.integer({ min: 0, max: 255 }), (arch, cpu) => {
        const { addr, data } = encodeDestination(arch, cpu, 1, 0x80a0000n);
        expect(decodeDestination(arch, addr, data, 0x80a0000n)).toEqual({ ok: true, cpu });
      }),
    );
  });

  it("refuse what is not a fixed, physical MSI (x86) or an LPI doorbell (arm64)", () => {
    expect(decodeDestination("x86", 0xfee0_1004n, 0x41).ok).toBe(false);
    expect(decodeDestination("x86", 0xfee0_1000n, 0x10).ok).toBe(false);
    expect(decodeDestination("x86", 0xfee0_1000n, 0x141).ok).toBe(false);
    expect(decodeDestination("x86", 0x1_fee0_1000n, 0x41).ok).toBe(false);
    expect(decodeDestination("arm64", 0x80a0000n + 0x20000n + 0x48n, 8192, 0x80a0000n).ok).toBe(false);
    expect(decodeDestination("arm64", 0x80a0000n + 0x40n, 100, 0x80a0000n).ok).toBe(false);
  });
});

describe("the virtio-mmio interrupt unit", () => {
  it("delivers an event raised while masked once the guest unmasks, to the CPU the entry names", () => {
    for (const arch of ["x86", "arm64"] as const) {
      const s = unit("trapped", arch);
      irqDeviceEvent(s, "vda", 1);
      expect(irqDeliver(s, "vda", 1)).toBe("idle");
      expect(irqGuestRead(s, 1, "vda", msiRegs.PENDING)).toBe(2);
      program(s, 1, 1, 2);
      expect(irqDeliver(s, "vda", 1)).toBe("delivered");
      expect(s.log).toEqual([{ device: "vda", vector: 1, cpu: 2 }]);
    }
  });

  it("trapped: refuses an entry naming a CPU outside the cell, and counts every access as a trap", () => {
    const s = unit("trapped");
    program(s, 1, 0, 0);
    expect(s.counters).toMatchObject({ refused: 1, traps: 4, guestAccesses: 4 });
    irqDeviceEvent(s, "vda", 0);
    irqDeliver(s, "vda", 0);
    expect(s.log[0]?.cpu).toBe(1);
  });

  it("untrapped, validated at delivery: a foreign entry written after the unmask is masked and kept pending", () => {
    const s = unit("delivery");
    program(s, 1, 0, 1);
    const { addr } = encodeDestination("x86", 0, 0);
    irqGuestWrite(s, 1, "vda", msiRegs.ADDR_LO, Number(addr));
    irqDeviceEvent(s, "vda", 0);
    expect(irqDeliver(s, "vda", 0)).toBe("held");
    expect(s.devices[0]?.vectors[0]).toMatchObject({ masked: true, pending: true });
    expect(s.counters.traps).toBe(2);
    expect(s.log).toEqual([]);
  });

  it("untrapped, validated at unmask only: the same sequence interrupts CPU 0, outside the cell", () => {
    const s = unit("unmask");
    program(s, 1, 0, 1);
    irqGuestWrite(s, 1, "vda", msiRegs.ADDR_LO, Number(encodeDestination("x86", 0, 0).addr));
    irqDeviceEvent(s, "vda", 0);
    expect(irqDeliver(s, "vda", 0)).toBe("delivered");
    expect(s.log[0]?.cpu).toBe(0);
  });

  it("ignores mask and entry writes while VECTOR_SEL is out of range", () => {
    const s = unit("trapped");
    irqGuestWrite(s, 1, "vda", msiRegs.VEC_SEL, 7);
    irqGuestWrite(s, 1, "vda", msiRegs.MASK, 0);
    irqGuestWrite(s, 1, "vda", msiRegs.DATA, 0x50);
    expect(s.devices[0]?.vectors).toHaveLength(2);
    expect(s.devices[0]?.vectors.every((v) => v.masked && v.data !== 0x50)).toBe(true);
  });

  it("legacy: one line, the guest reads InterruptStatus and acknowledges; both trap", () => {
    const s = unit("legacy");
    irqDeviceEvent(s, "vda", 0);
    irqDeviceEvent(s, "vda", 1);
    expect(irqDeliver(s, "vda", -1)).toBe("delivered");
    expect(irqDeliver(s, "vda", -1)).toBe("idle");
    const isr = irqGuestRead(s, 1, "vda", msiRegs.INTERRUPT_STATUS);
    expect(isr).toBe(3);
    irqGuestWrite(s, 1, "vda", msiRegs.INTERRUPT_ACK, isr);
    expect(s.counters).toMatchObject({ traps: 2, guestAccesses: 2, deliveries: 1 });
    expect(irqDeliver(s, "vda", -1)).toBe("idle");
  });

  it("refuses register access from a CPU of another cell (a script mistake, not a guest action)", () => {
    expect(() => irqGuestWrite(unit("trapped"), 0, "vda", msiRegs.MASK, 0)).toThrow(/not in cell a/);
  });
});
