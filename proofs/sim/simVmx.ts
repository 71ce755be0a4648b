/**
 * `warden sim` commands of nested VMX (KVM in a cell with `warden_nested_vmx`, a Warden
 * extension): `guest NAME vmx [cpu N] SUBCOMMAND …`, where SUBCOMMAND is a VMX instruction
 * (`vmptrld ADDR`, `vmclear ADDR`, `vmread FIELD`, `vmwrite FIELD VALUE`, `vmlaunch`, `vmresume`,
 * `exit`, `invept EPTP`), the KVM-like agent (`kvm-ept POOL GPA:HPA:SIZE[:r|rw|rwx] …` builds an
 * EPT in the cell's memory from table pages at POOL; `kvm-run VMCS EPTP` loads and enters it),
 * or `state` (the EPTs the hypervisor knows, protected pages, nested guests).
 */
import {
  type CellState,
  type GuestOutcome,
  guestAccess,
  guestVmx,
  type Hypervisor,
  runningCpu,
  vmcsFieldByName,
  vmxOf,
} from "../../hypervisor/index.js";
import { type EptMapping, KvmAgent } from "./kvmAgent.js";

type Fail = (message: string) => Error;
type Result = { result: string; detail?: string };

const kvm = { guestAccess, guestVmx, vmcsFieldByName };
const sizes: Readonly<Record<string, EptMapping["size"]>> = { "4k": 0x1000n, "2m": 0x200000n, "1g": 0x40000000n };
const hex = (v: bigint) => `0x${v.toString(16)}`;

function num(word: string | undefined, what: string, fail: Fail): bigint {
  try {
    if (word === undefined) throw new Error();
    return BigInt(word);
  } catch {
    throw fail(`${what}: "${word ?? ""}" is not a number`);
  }
}

function mapping(word: string, fail: Fail): EptMapping {
  const [gpa, hpa, size, rights = "rw"] = word.split(":");
  const s = sizes[(size ?? "").toLowerCase()];
  if (!gpa || !hpa || !s || !/^r(w?x?)$/.test(rights))
    throw fail(`"${word}" is not GPA:HPA:SIZE[:r|rw|rx|rwx] with SIZE 4k, 2m or 1g`);
  return {
    gpa: num(gpa, "GPA", fail),
    hpa: num(hpa, "HPA", fail),
    size: s,
    write: rights.includes("w"),
    execute: rights.includes("x"),
  };
}

function field(word: string | undefined, fail: Fail): number {
  const named = word === undefined ? undefined : vmcsFieldByName(word);
  return named ?? Number(num(word, "FIELD", fail));
}

function outcome(o: GuestOutcome): Result {
  if (o.kind === "ok") return { result: o.value === undefined ? "ok" : hex(o.value) };
  return { result: o.kind, detail: o.reason };
}

function state(hv: Hypervisor, cell: CellState): Result {
  const s = vmxOf(hv);
  const vc = s.cells.get(cell.id);
  const lines = [
    ...[...(vc?.epts ?? [])].map(
      ([root, e]) =>
        `EPT ${hex(root)}: ${e.valid ? "valid" : "invalid"}, tables ${[...e.tables.keys()].map(hex).join(" ")}`,
    ),
    `protected pages: ${[...(vc?.protectedPages.keys() ?? [])].map((g) => hex(BigInt(g) * 4096n)).join(" ") || "none"}`,
    ...[...s.cpus]
      .filter(([cpu]) => cell.cpus.has(cpu))
      .map(
        ([cpu, c]) =>
          `CPU ${cpu}: ${c.running === undefined ? "KVM" : `nested guest on ${hex(c.running)}`}${c.lastExit ? ` (last exit: ${c.lastExit})` : ""}`,
      ),
  ];
  return { result: "ok", detail: lines.join("\n") };
}

const instructions = ["vmptrld", "vmclear", "vmread", "vmwrite", "vmlaunch", "vmresume", "exit", "invept"] as const;

export function simVmxGuest(hv: Hypervisor, cell: CellState, args: readonly string[], fail: Fail): Result {
  let words = args;
  let cpu = runningCpu(hv, cell);
  if (words[0] === "cpu") {
    cpu = Number(num(words[1], "CPU", fail));
    if (!cell.cpus.has(cpu)) throw fail(`CPU ${cpu} is not cell "${cell.name}"'s`);
    words = words.slice(2);
  }
  if (cpu === undefined) throw fail(`cell "${cell.name}" has no running CPU`);
  const [sub, a, b] = words;
  const at = (w: string | undefined) => num(w, "ADDR", fail);
  switch (sub) {
    case "state":
      return state(hv, cell);
    case "kvm-ept": {
      const agent = new KvmAgent(kvm, hv, cpu, at(a));
      const built = agent.buildEpt(words.slice(2).map((w) => mapping(w, fail)));
      return "eptp" in built ? { result: hex(built.eptp) } : outcome(built.refused);
    }
    case "kvm-run": {
      const agent = new KvmAgent(kvm, hv, cpu, 0n);
      const prepared = agent.prepare(at(a), num(b, "EPTP", fail));
      return outcome(prepared.kind === "ok" ? agent.enter() : prepared);
    }
    case "vmptrld":
    case "vmclear":
      return outcome(guestVmx(hv, cpu, { op: sub, address: at(a) }));
    case "vmread":
      return outcome(guestVmx(hv, cpu, { op: sub, field: field(a, fail) }));
    case "vmwrite":
      return outcome(guestVmx(hv, cpu, { op: sub, field: field(a, fail), value: num(b, "VALUE", fail) }));
    case "vmlaunch":
    case "vmresume":
    case "exit":
      return outcome(guestVmx(hv, cpu, { op: sub }));
    case "invept":
      return outcome(guestVmx(hv, cpu, { op: sub, eptp: num(a, "EPTP", fail) }));
    default:
      throw fail(`usage: guest NAME vmx [cpu N] ${[...instructions, "kvm-ept", "kvm-run", "state"].join("|")} …`);
  }
}
