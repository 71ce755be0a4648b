/**
 * The surface on upstream Jailhouse's C: the qemu-x86 demo cells of the tree named by
 * WARDEN_UPSTREAM_SRC (skipped without one). Five entry points were checked by hand against the
 * source (see the assertions' comments); the unresolved share is reported, not hidden.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cSurface } from "../../../../proofs/audit/surface/cSurface.js";
import { initCParser } from "../../../../proofs/csource/cParser.js";
import { loadConfigSet, setJailhouseSrc } from "../../../../proofs/index.js";

const tree = process.env.WARDEN_UPSTREAM_SRC;
const usable = tree !== undefined && existsSync(join(tree, "hypervisor", "control.c"));
if (!usable)
  process.stderr.write("[warden] upstream surface tests skipped: WARDEN_UPSTREAM_SRC does not name a Jailhouse tree\n");

const demos = [
  "apic-demo",
  "tiny-demo",
  "ioapic-demo",
  "pci-demo",
  "ivshmem-demo",
  "linux-x86-demo",
  "smp-demo",
  "e1000-demo",
];

describe.skipIf(!usable)("the surface of upstream's qemu-x86 demo cells (WARDEN_UPSTREAM_SRC)", () => {
  let report: ReturnType<typeof cSurface>;
  beforeAll(async () => {
    const t = tree as string;
    await initCParser();
    setJailhouseSrc(t);
    const configs = join(t, "configs", "x86");
    const set = loadConfigSet([join(configs, "qemu-x86.c"), ...demos.map((d) => join(configs, `${d}.c`))]);
    report = cSurface(set, t);
  }, 120_000);
  const cell = (name: string) => report.cells.find((c) => c.cell === name) ?? expect.unreachable();
  const reached = (name: string) =>
    cell(name)
      .entries.filter((e) => !e.refused)
      .map((e) => e.name);

  it("resolves nearly every indirect call through the unit, MMIO and struct-field tables", () => {
    expect(report.unresolved?.total).toBeGreaterThan(50);
    expect(report.unresolved?.share).toBeLessThan(0.05);
    expect(report.assumed).toEqual([]);
  });

  it("reaches, per the hand-checked sample, what upstream's code says each cell reaches", () => {
    // pci.c: pci_cell_init registers the MMCONFIG handler when pci_mmconfig_base != 0 (qemu-x86.c sets it): every cell.
    for (const d of demos) expect(reached(d)).toContain("pci_mmconfig_access_handler");
    // ioapic.c: ioapic_cell_init registers one handler per irqchip: linux-x86-demo has one, apic-demo none.
    expect(reached("linux-x86-demo")).toContain("ioapic_access_handler");
    expect(reached("apic-demo")).not.toContain("ioapic_access_handler");
    // ivshmem.c: the register BAR's handler is registered for a cell's own ivshmem device.
    expect(reached("ivshmem-demo")).toContain("ivshmem_register_mmio");
    expect(reached("tiny-demo")).not.toContain("ivshmem_register_mmio");
    // vcpu.c: vcpu_handle_io_access calls x86_pci_config_handler, then i8042_access_handler, for every cell.
    for (const d of demos)
      expect(
        cell(d)
          .legacy.map((l) => l.tag)
          .sort(),
      ).toEqual(expect.arrayContaining(["i8042", "pci-config-ports"]));
    // control.c: cell_create refuses a non-root caller in its first check; nothing behind it is reachable.
    expect(cell("apic-demo").entries.find((e) => e.name === "CELL_CREATE")).toMatchObject({ refused: true, lines: 0 });
    expect(cell("apic-demo").reached.some((f) => f.name === "cell_create")).toBe(false);
  });

  it("gives the root cell management and the demo cells far less", () => {
    const root = report.cells[0] ?? expect.unreachable();
    expect(root.reached.some((f) => f.name === "cell_create")).toBe(true);
    for (const d of demos) expect(cell(d).lines).toBeLessThan(root.lines);
    expect(cell("ioapic-demo").lines).toBeGreaterThan(cell("apic-demo").lines);
  });
});
