/**
 * The core's virtio interrupt unit behind the conformance protocol's virtio commands: each cell's
 * first `warden_virtio` device, CPUs named by their index among the owning cell's CPUs (ascending),
 * events and writes without the core's settling, so each delivery is a step of its own.
 */
import type { CellConfig, Hypervisor } from "../../hypervisor/index.js";
import type { CoreModule } from "./coreImplementation.js";
import type { VirtioCommand, VirtioDeviceView } from "./implementation.js";

export function coreVirtio(m: CoreModule, hv: Hypervisor, configs: ReadonlyMap<string, CellConfig>) {
  const deviceOf = (cell: string) => configs.get(cell)?.warden_virtio?.[0]?.name;
  const registered = (cell: string) => {
    const name = deviceOf(cell);
    return hv.s.virtio?.devices.find((d) => d.name === name && d.cell === cell);
  };
  const cpusOf = (cell: Hypervisor["s"]["cells"][number]) => [...cell.cpus].sort((a, b) => a - b);
  /** A CPU as `CELL:INDEX` (the root cell as `root`), or "none". */
  const refOf = (cpu: number): string => {
    const cell = hv.s.cells.find((c) => c.cpus.has(cpu));
    if (!cell) return "none";
    return `${cell === hv.s.cells[0] ? "root" : cell.name}:${cpusOf(cell).indexOf(cpu)}`;
  };
  const cpuOf = (ref: string): number | undefined => {
    const at = ref.lastIndexOf(":");
    const name = ref.slice(0, at);
    const cell = name === "root" ? hv.s.cells[0] : hv.s.cells.find((c) => c.name === name);
    return cell && cpusOf(cell)[Number(ref.slice(at + 1))];
  };
  const guestCpu = (c: { cell: string; cpu: number }) => {
    const cell = hv.s.cells.find((x) => x.name === c.cell);
    const cpu = cell && cpusOf(cell)[c.cpu];
    if (cpu === undefined) throw new Error(`cell '${c.cell}' has no CPU ${c.cpu}`);
    return cpu;
  };
  const write = (c: VirtioCommand & { cpu: number }, offset: number, value: number) => {
    m.virtioWrite(hv, guestCpu(c), deviceOf(c.cell) ?? "", offset, value, false);
    return "ok";
  };
  return {
    applicable: (c: VirtioCommand): boolean => registered(c.cell) !== undefined,
    perform(c: VirtioCommand): string {
      const device = deviceOf(c.cell) ?? "";
      const r = m.msiRegs;
      switch (c.op) {
        case "virtio_event":
          m.virtioEvent(hv, device, c.vector, false);
          return "ok";
        case "virtio_deliver": {
          const unit = m.virtioOf(hv);
          const before = unit.log.length;
          const outcome = m.virtioDeliver(hv, device, c.vector);
          const cpu = unit.log[before]?.cpu;
          return outcome === "delivered" && cpu !== undefined ? `delivered to ${refOf(cpu)}` : outcome;
        }
        case "virtio_select":
          return write(c, r.VEC_SEL, c.index);
        case "virtio_entry": {
          const unit = m.virtioOf(hv);
          const target = cpuOf(c.target);
          if (target === undefined) throw new Error(`no CPU ${c.target}`);
          // The destination lives in the address's low half in both formats: one write moves it.
          const { addr } = m.encodeDestination(unit.arch, target, 0, unit.gicrBase);
          return write(c, r.ADDR_LO, Number(addr & 0xffff_ffffn));
        }
        case "virtio_mask":
          return write(c, r.MASK, c.mask ? 1 : 0);
      }
    },
    state(): Record<string, VirtioDeviceView> {
      const out: Record<string, VirtioDeviceView> = {};
      const unit = hv.s.virtio;
      if (!unit) return out;
      for (const cell of configs.keys()) {
        const d = registered(cell);
        if (!d) continue;
        out[cell] = {
          entry: d.vectors.map((v) => {
            const dest = m.decodeDestination(unit.arch, v.addr, v.data, unit.gicrBase);
            return dest.ok ? refOf(dest.cpu) : "none";
          }),
          mask: d.vectors.map((v) => v.masked),
          pending: d.vectors.map((v) => v.pending),
          sel: d.sel,
        };
      }
      return out;
    },
  };
}
