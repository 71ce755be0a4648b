/**
 * A KVM-like agent in a cell with nested VMX: it builds 4-level EPTs in the cell's own memory
 * with ordinary guest writes (4 KiB, 2 MiB and 1 GiB leaves), loads a VMCS and enters a nested
 * guest through the VMX instructions the hypervisor validates. The sim's `guest NAME vmx kvm-*`
 * commands and the NestedEpt conformance binding drive the core through it.
 */
import type * as Hypervisor from "../../hypervisor/index.js";

/** What the agent needs of a core (a mutant copy supplies its own). */
export type KvmCore = Pick<typeof Hypervisor, "guestAccess" | "guestVmx" | "vmcsFieldByName">;
type Core = Parameters<typeof Hypervisor.guestAccess>[0];
type Outcome = ReturnType<typeof Hypervisor.guestAccess>;

export interface EptMapping {
  /** Nested-guest physical address and the cell's guest-physical address it maps to. */
  readonly gpa: bigint;
  readonly hpa: bigint;
  readonly size: 0x1000n | 0x200000n | 0x40000000n;
  readonly write: boolean;
  readonly execute: boolean;
}

const levelOf = { 4096: 1, 2097152: 2, 1073741824: 3 } as const;
const TABLE = 7n;
const WB = 6n << 3n;

/** The 64-bit value of a leaf entry at `level` (bit 7 above level 1). */
export function eptLeaf(hpa: bigint, level: number, write: boolean, execute: boolean): bigint {
  return hpa | 1n | (write ? 2n : 0n) | (execute ? 4n : 0n) | WB | (level > 1 ? 1n << 7n : 0n);
}
export const eptTable = (address: bigint): bigint => address | TABLE;
/** An EPT pointer: write-back paging structures, 4-level walk. */
export const eptPointer = (root: bigint): bigint => root | 6n | (3n << 3n);

export class KvmAgent {
  private next: bigint;
  private readonly tables = new Map<bigint, bigint>();

  constructor(
    private readonly core: KvmCore,
    private readonly hv: Core,
    readonly cpu: number,
    /** First page of the cell's memory the agent takes table pages from. */
    pool: bigint,
  ) {
    this.next = pool;
  }

  private page(): bigint {
    const p = this.next;
    this.next += 0x1000n;
    return p;
  }

  /** One 8-byte guest write; a trapped write is handled by the hypervisor before this returns. */
  write(address: bigint, value: bigint): Outcome {
    return this.core.guestAccess(this.hv, this.cpu, address, 8, true, value);
  }

  /** Builds an EPT holding `maps`; returns its pointer, or the first write the hypervisor refused. */
  buildEpt(maps: readonly EptMapping[]): { eptp: bigint } | { refused: Outcome } {
    const root = this.page();
    for (const m of maps) {
      let table = root;
      const leafLevel = levelOf[Number(m.size) as keyof typeof levelOf];
      for (let level = 4; level > leafLevel; level--) {
        const slot = table + ((m.gpa >> BigInt(12 + 9 * (level - 1))) & 511n) * 8n;
        let below = this.tables.get(slot);
        if (below === undefined) {
          below = this.page();
          this.tables.set(slot, below);
          const o = this.write(slot, eptTable(below));
          if (o.kind !== "ok") return { refused: o };
        }
        table = below;
      }
      const slot = table + ((m.gpa >> BigInt(12 + 9 * (leafLevel - 1))) & 511n) * 8n;
      const o = this.write(slot, eptLeaf(m.hpa, leafLevel, m.write, m.execute));
      if (o.kind !== "ok") return { refused: o };
    }
    return { eptp: eptPointer(root) };
  }

  private field(name: string): number {
    const f = this.core.vmcsFieldByName(name);
    if (f === undefined) throw new Error(`the core has no VMCS field ${name}`);
    return f;
  }

  vmwrite(name: string, value: bigint): Outcome {
    return this.core.guestVmx(this.hv, this.cpu, { op: "vmwrite", field: this.field(name), value });
  }

  /** Loads `vmcs` with EPT on and `eptp`; the first refused instruction's outcome, or ok. */
  prepare(vmcs: bigint, eptp: bigint): Outcome {
    const steps: (() => Outcome)[] = [
      () => this.core.guestVmx(this.hv, this.cpu, { op: "vmptrld", address: vmcs }),
      () => this.vmwrite("CPU_BASED_VM_EXEC_CONTROL", 1n << 31n),
      () => this.vmwrite("SECONDARY_VM_EXEC_CONTROL", 1n << 1n),
      () => this.vmwrite("EPT_POINTER", eptp),
    ];
    for (const step of steps) {
      const o = step();
      if (o.kind !== "ok") return o;
    }
    return { kind: "ok" };
  }

  /** VMLAUNCH, or VMRESUME once the VMCS was launched (the hypervisor tells by VMfail). */
  enter(): Outcome {
    const launch = this.core.guestVmx(this.hv, this.cpu, { op: "vmlaunch" });
    if (launch.kind === "ignored" && launch.reason.includes("launched"))
      return this.core.guestVmx(this.hv, this.cpu, { op: "vmresume" });
    return launch;
  }
}
