import { describe, expect, it } from "vitest";
import {
  archFor,
  type ConfigSet,
  checkInvariants,
  configToYaml,
  encodeCell,
  guestAccess,
  guestVmx,
  Hypervisor,
  parseConfigText,
  pte,
  rootDriver,
  translate,
  vmcsFieldByName,
  vmxOf,
} from "../../../../hypervisor/index.js";
import { loadExampleSet } from "../../../../proofs/index.js";
import { KvmAgent } from "../../../../proofs/sim/kvmAgent.js";
import { boot, drive } from "../../../builders/machine.js";

/** The x86 example with Warden's nested-VMX flag on the root cell (Linux with KVM). */
function nestedSet(on = true): ConfigSet {
  const set = loadExampleSet("x86");
  const rootCell = { ...set.system.config.root_cell, warden_nested_vmx: on };
  return { ...set, system: { ...set.system, config: { ...set.system.config, root_cell: rootCell } } };
}

const kvm = { guestAccess, guestVmx, vmcsFieldByName };
const POOL = 0x1000000n;
const VMCS = 0x1100000n;
const field = (name: string) => vmcsFieldByName(name) as number;
const writable = (hv: Hypervisor, addr: bigint) =>
  (translate(hv.s, hv.arch.paging, hv.s.cells[0]?.pageTable ?? -1, Number(addr / 4096n))?.flags ?? 0) & pte.WRITE;

function running(hv: Hypervisor, cpu: number): bigint | undefined {
  return vmxOf(hv).cpus.get(cpu)?.running;
}

/** The KVM cell's CPU 1 running a nested guest on an EPT of POOL mapping one 4 KiB page. */
function enteredOnOnePage() {
  const { hv } = boot(nestedSet());
  const agent = new KvmAgent(kvm, hv, 1, POOL);
  const built = agent.buildEpt([{ gpa: 0n, hpa: 0x2000000n, size: 0x1000n, write: true, execute: true }]);
  if (!("eptp" in built)) throw new Error("refused");
  agent.prepare(VMCS, built.eptp);
  agent.enter();
  return { hv, built };
}

describe("the warden_nested_vmx flag", () => {
  it("is read from YAML and written back, while the binary .cell stays byte-identical", () => {
    const rt = loadExampleSet("x86").cells.find((c) => c.config.name === "rt-bare-metal")?.config;
    if (!rt) throw new Error("example changed");
    const yaml = configToYaml({ kind: "cell", cell: rt });
    const d = parseConfigText(`${yaml}  warden_nested_vmx: true\n`, "t.yaml", "yaml");
    if (!d.ok || d.value.kind !== "cell") throw new Error("the flag does not parse");
    expect(d.value.cell.warden_nested_vmx).toBe(true);
    expect(configToYaml({ kind: "cell", cell: d.value.cell })).toContain("warden_nested_vmx: true");
    expect(encodeCell(d.value.cell)).toEqual(encodeCell(rt));
  });
});

describe("nested VMX on behalf of the root cell", () => {
  it("runs a nested guest on a validated EPT with 4 KiB, 2 MiB leaves, and refuses a 1 GiB leaf beyond the cell", () => {
    const { hv } = boot(nestedSet());
    const agent = new KvmAgent(kvm, hv, 1, POOL);
    const built = agent.buildEpt([
      { gpa: 0n, hpa: 0x2000000n, size: 0x1000n, write: true, execute: true },
      { gpa: 0x200000n, hpa: 0x2200000n, size: 0x200000n, write: true, execute: false },
    ]);
    if (!("eptp" in built)) throw new Error("building the EPT was refused");
    expect(agent.prepare(VMCS, built.eptp)).toEqual({ kind: "ok" });
    expect(agent.enter()).toEqual({ kind: "ok" });
    expect(running(hv, 1)).toBe(POOL);
    // Every table page (PML4, PDPT, PD, PT) is now write-protected in root's tables.
    for (const page of [POOL, POOL + 0x1000n, POOL + 0x2000n, POOL + 0x3000n]) expect(writable(hv, page)).toBe(0);
    expect(checkInvariants(hv)).toEqual([]);

    const other = new KvmAgent(kvm, hv, 0, 0x1200000n);
    const huge = other.buildEpt([{ gpa: 0n, hpa: 0n, size: 0x40000000n, write: true, execute: true }]);
    if (!("eptp" in huge)) throw new Error("building was refused");
    other.prepare(0x1300000n, huge.eptp);
    const o = other.enter();
    expect(o.kind).toBe("ignored");
    expect(o.kind === "ignored" && o.reason).toMatch(/outside the cell's memory/);
  });

  it("keeps the EPT valid for a harmless trapped write, and declares it invalid and kicks the CPU before a breaking one executes", () => {
    const { hv, built } = enteredOnOnePage();
    const pt = POOL + 0x3000n;
    // KVM (on CPU 0) maps one more page inside the cell: trapped, executed, EPT still valid.
    const kvm0 = new KvmAgent(kvm, hv, 0, 0x1400000n);
    expect(kvm0.write(pt + 8n, 0x2001000n | 0x37n)).toEqual({ kind: "ok" });
    expect(vmxOf(hv).cells.get(0)?.epts.get(POOL)?.valid).toBe(true);
    expect(running(hv, 1)).toBe(POOL);
    // Now a page of the hypervisor's memory (0x3a000000): the EPT goes invalid, CPU 1 is kicked, the write lands.
    expect(kvm0.write(pt + 16n, 0x3a000000n | 0x37n)).toEqual({ kind: "ok" });
    expect(vmxOf(hv).cells.get(0)?.epts.get(POOL)?.valid).toBe(false);
    expect(running(hv, 1)).toBeUndefined();
    expect(vmxOf(hv).cpus.get(1)?.lastExit).toMatch(/kicked/);
    expect(guestAccess(hv, 0, pt + 16n, 8, false).kind === "ok").toBe(true);
    // Entering again walks it again and refuses it.
    const again = guestVmx(hv, 1, { op: "vmresume" });
    expect(again.kind === "ignored" && again.reason).toMatch(/EPT is refused/);
    // INVEPT forgets it; the next trapped write to its page unprotects the page.
    expect(guestVmx(hv, 1, { op: "invept", eptp: built.eptp })).toEqual({ kind: "ok" });
    expect(vmxOf(hv).cells.get(0)?.epts.has(POOL)).toBe(false);
    expect(writable(hv, pt)).toBe(0);
    expect(kvm0.write(pt + 16n, 0n)).toEqual({ kind: "ok" });
    expect(writable(hv, pt)).not.toBe(0);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it("re-walks on a trapped write: a bad entry in a table the EPT no longer reaches breaks nothing, a new table pointer does", () => {
    const { hv } = enteredOnOnePage();
    const [pml4, pdpt, pd, pt] = [POOL, POOL + 0x1000n, POOL + 0x2000n, POOL + 0x3000n];
    const kvm0 = new KvmAgent(kvm, hv, 0, 0x1400000n);
    const valid = () => vmxOf(hv).cells.get(0)?.epts.get(pml4)?.valid;
    // The PD drops its pointer to the PT: the PT stays tracked but is no longer reached.
    expect(kvm0.write(pd, 0n)).toEqual({ kind: "ok" });
    expect(valid()).toBe(true);
    expect(kvm0.write(pt, 0x3a000000n | 0x37n)).toEqual({ kind: "ok" });
    expect(valid()).toBe(true);
    // A pointer to a table the hypervisor has not walked (a clean, zeroed page) invalidates it until the next entry.
    expect(kvm0.write(pdpt + 8n, 0x1500000n | 7n)).toEqual({ kind: "ok" });
    expect(valid()).toBe(false);
    expect(running(hv, 1)).toBeUndefined();
  });

  it("checks VMWRITE through the field table", () => {
    const { hv } = boot(nestedSet());
    expect(guestVmx(hv, 1, { op: "vmptrld", address: 0x3a000000n }).kind).toBe("ignored");
    expect(guestVmx(hv, 1, { op: "vmptrld", address: VMCS })).toEqual({ kind: "ok" });
    const w = (name: string, value: bigint) => guestVmx(hv, 1, { op: "vmwrite", field: field(name), value });
    expect(w("GUEST_RIP", 0x1234n)).toEqual({ kind: "ok" });
    expect(guestVmx(hv, 1, { op: "vmread", field: field("GUEST_RIP") })).toEqual({ kind: "ok", value: 0x1234n });
    expect(w("VM_EXIT_REASON", 1n).kind).toBe("ignored");
    expect(guestVmx(hv, 1, { op: "vmwrite", field: 0x2800, value: 0n }).kind).toBe("ignored");
    expect(w("MSR_BITMAP", 0x3a000000n).kind).toBe("ignored");
    expect(w("MSR_BITMAP", 0x39fff000n)).toEqual({ kind: "ok" });
    expect(w("SECONDARY_VM_EXEC_CONTROL", 1n << 14n).kind).toBe("ignored");
    // Without EPT enabled, no nested guest runs.
    const o = guestVmx(hv, 1, { op: "vmlaunch" });
    expect(o.kind === "ignored" && o.reason).toMatch(/required controls/);
  });

  it("ends the CPU of a cell without the flag, and arm64 answers 'not supported'", () => {
    const { hv } = boot(nestedSet(false));
    expect(guestVmx(hv, 1, { op: "vmptrld", address: VMCS }).kind).toBe("fatal");
    const arm = loadExampleSet("arm64").system.config;
    const hvArm = Hypervisor.enable(arm, archFor("arm64"));
    const o = guestVmx(hvArm, arm.root_cell.cpus[0] as number, { op: "vmlaunch" });
    expect(o.kind === "ignored" && o.reason).toMatch(/not supported/);
  });

  it("re-validates when another cell's create takes memory an EPT reaches, and kicks its CPU", () => {
    const { hv, set } = boot(nestedSet());
    const agent = new KvmAgent(kvm, hv, 1, POOL);
    // rt-bare-metal takes 0x3f000000..+1 MiB from root.
    const built = agent.buildEpt([{ gpa: 0n, hpa: 0x3f000000n, size: 0x1000n, write: true, execute: true }]);
    if (!("eptp" in built)) throw new Error("refused");
    agent.prepare(VMCS, built.eptp);
    expect(agent.enter()).toEqual({ kind: "ok" });
    const rt = set.cells.find((c) => c.config.name === "rt-bare-metal")?.config;
    if (!rt) throw new Error("example changed");
    expect(drive(hv, rootDriver.cellCreate(hv, rt)).result).toBe(0);
    expect(vmxOf(hv).cells.get(0)?.epts.get(POOL)?.valid).toBe(false);
    expect(running(hv, 1)).toBeUndefined();
    expect(checkInvariants(hv)).toEqual([]);
  });
});
