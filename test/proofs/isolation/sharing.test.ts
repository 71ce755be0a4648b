/** `--sharing` declares intended sharing of memory, ports, IRQ pins and PCI devices, each with a reason. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ConfigSet, pciTypes } from "../../../hypervisor/index.js";
import { loadExampleSet, proveIsolation, readSharingPolicy, type SharingDeclaration } from "../../../proofs/index.js";

/** The x86 example with rt's port range, IOAPIC pin and a physical device also given to linux. */
function sharedExample(): ConfigSet {
  const set = loadExampleSet("x86");
  const [rt, linux] = set.cells;
  if (!rt || !linux) throw new Error("example changed");
  const chip = set.system.config.root_cell.irqchips[0];
  if (!chip) throw new Error("example changed");
  const irq = { ...chip, pin_base: 0, pin_bitmap: [1 << 4, 0, 0, 0] as const };
  const dev = { ...(linux.config.pci_devices[0] as ConfigSet["cells"][number]["config"]["pci_devices"][number]) };
  const device = { ...dev, type: pciTypes.DEVICE, bdf: 0x1f << 3 };
  const pio = rt.config.pio_regions;
  return {
    ...set,
    cells: [
      { ...rt, config: { ...rt.config, irqchips: [irq], pci_devices: [device] } },
      {
        ...linux,
        config: {
          ...linux.config,
          pio_regions: [...linux.config.pio_regions, ...pio],
          irqchips: [irq],
          pci_devices: [...linux.config.pci_devices, device],
        },
      },
    ],
  };
}

const only = ["WRD-PIO-EXCLUSIVE", "WRD-IRQ-EXCLUSIVE", "WRD-PCI-EXCLUSIVE"];
const verdicts = async (policy: SharingDeclaration[]) =>
  Object.fromEntries((await proveIsolation(sharedExample(), policy, { only })).map((r) => [r.rule.id, r.verdict]));

describe("sharing policy for ports, pins and devices", () => {
  it("reads every kind of entry and relaxes exactly the declared resource between the declared cells", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-sharing-"));
    const file = join(dir, "policy.yaml");
    const chip = loadExampleSet("x86").system.config.root_cell.irqchips[0]?.address ?? 0n;
    writeFileSync(
      file,
      [
        "sharing:",
        '  - { cells: [rt-bare-metal, linux], pio_base: "0x2f8", pio_length: 8, reason: "both print to COM2" }',
        `  - { cells: [rt-bare-metal, linux], irqchip: "0x${chip.toString(16)}", pins: [4], reason: "COM2's interrupt" }`,
        '  - { cells: [rt-bare-metal, linux], pci_bdf: "00:1f.0", reason: "a shared controller, on purpose" }',
        "",
      ].join("\n"),
    );
    const policy = readSharingPolicy(file);
    expect(policy.map((p) => p.resource)).toEqual(["pio", "irq", "pci"]);
    expect(await verdicts([])).toEqual({
      "WRD-PIO-EXCLUSIVE": "violated",
      "WRD-IRQ-EXCLUSIVE": "violated",
      "WRD-PCI-EXCLUSIVE": "violated",
    });
    expect(Object.values(await verdicts(policy))).toEqual(["proved", "proved", "proved"]);
    // A port declaration does not relax pins; declarations naming another cell relax nothing.
    expect((await verdicts(policy.filter((p) => p.resource === "pio")))["WRD-IRQ-EXCLUSIVE"]).toBe("violated");
    const elsewhere = policy.map((p) => ({ ...p, cells: ["rt-bare-metal", "someone-else"] }));
    expect(Object.values(await verdicts(elsewhere))).toEqual(["violated", "violated", "violated"]);
  });

  it("gives the solver the declarations: overlapping ones naming different pairs, and a partial one", async () => {
    const set = sharedExample();
    const decl = (cells: string[], start: number, end: number): SharingDeclaration => ({
      cells,
      resource: "pio",
      start: BigInt(start),
      end: BigInt(end),
      reason: "test",
    });
    const pio = async (policy: SharingDeclaration[]) =>
      (await proveIsolation(set, policy, { only: ["WRD-PIO-EXCLUSIVE"] }))[0];
    // Both ranges cover COM2; only the second names both holders. Resolving declarations into
    // owners before the proof (the earlier design) gave rt the first one and reported a clash.
    const both = await pio([
      decl(["rt-bare-metal", "someone-else"], 0x2f8, 0x300),
      decl(["linux", "rt-bare-metal"], 0x2f8, 0x300),
    ]);
    expect(both?.verdict).toBe("proved");
    expect(both?.parts.some((p) => p.smt2.includes("declared sharing of linux, rt-bare-metal"))).toBe(true);
    const half = await pio([decl(["linux", "rt-bare-metal"], 0x2f8, 0x2fc)]);
    expect(half?.verdict).toBe("violated");
    expect(half?.witnesses[0]?.at).toBe(0x2fcn);
  });
});
