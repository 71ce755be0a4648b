/**
 * The system `warden explore irq --config` explores: the device-owning cells of a configuration
 * set (each one's first `warden_virtio` device). The models take the cells with at most two CPUs
 * and two vectors each (their state space stays small); the cost sequences run on the core's unit
 * with the first such cell's device as configured, in the set's architecture.
 */
import type { ConfigSet, LoadedCell, MsiArch } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";
import type { IrqSystemShape } from "./exploreIrq.js";
import type { IrqSystem } from "./irqScenarios.js";

/** Model bounds: beyond them the property matrix would cost minutes, not seconds. */
const MODEL_CELLS = 2;
const MODEL_CPUS = 2;
const MODEL_VECTORS = 2;

export interface ConfiguredIrqSystem {
  readonly system: IrqSystem;
  readonly shape: IrqSystemShape;
  readonly label: string;
}

const fieldOf = (cell: LoadedCell, name: string) => (cell.origin.field ? `${cell.origin.field}.${name}` : name);

export function irqSystemOf(set: ConfigSet): ConfiguredIrqSystem {
  const owners = set.cells.filter((c) => (c.config.warden_virtio?.length ?? 0) > 0);
  const first = owners[0];
  if (!first)
    throw inputError("WRD203", "no cell of the set declares a warden_virtio device (nothing to explore)", {
      file: set.cells[0]?.origin.file ?? set.system.origin.file,
      field: set.cells[0] ? fieldOf(set.cells[0], "warden_virtio") : "cells",
    });
  const extra = owners[MODEL_CELLS];
  if (extra)
    throw inputError("WRD203", `explore irq models at most ${MODEL_CELLS} cells with virtio devices`, {
      file: extra.origin.file,
      field: fieldOf(extra, "warden_virtio"),
    });
  for (const c of owners)
    if (c.config.cpus.length === 0)
      throw inputError(
        "WRD203",
        `cell "${c.config.name}" owns a virtio device but no CPU: its vectors can aim nowhere`,
        {
          file: c.origin.file,
          field: fieldOf(c, "cpus"),
        },
      );
  const rootCpu = [...set.system.config.root_cell.cpus]
    .sort((a, b) => a - b)
    .find((cpu) => !owners.some((c) => c.config.cpus.includes(cpu)));
  if (rootCpu === undefined)
    throw inputError("WRD203", "the device cells take every CPU: no root CPU is left to aim a hostile entry at", {
      file: set.system.origin.file,
      field: set.system.origin.field ? `${set.system.origin.field}.root_cell.cpus` : "root_cell.cpus",
    });
  const device = first.config.warden_virtio?.[0] ?? { name: "", vectors: 1 };
  const platform = set.system.config.platform.arch;
  const arch: MsiArch = set.system.config.arch === "x86" ? "x86" : "arm64";
  const system: IrqSystem = {
    device: device.name,
    cell: first.config.name,
    cpus: [...first.config.cpus].sort((a, b) => a - b),
    rootCpu,
    vectors: device.vectors,
    arch,
    gicrBase: platform.kind === "arm" ? platform.gicr_base : 0n,
  };
  const shape: IrqSystemShape = {
    cells: owners.map((c) => c.config.name),
    cpusPerCell: Math.min(MODEL_CPUS, ...owners.map((c) => c.config.cpus.length)),
    vectors: Math.min(MODEL_VECTORS, ...owners.map((c) => c.config.warden_virtio?.[0]?.vectors ?? 1)),
  };
  const label = `device ${system.device} of cell ${system.cell} (CPUs ${system.cpus.join(", ")}, ${system.vectors} vectors, ${arch}), root on CPU ${rootCpu}; models: ${shape.cells.length} cell${shape.cells.length > 1 ? "s" : ""}, ${shape.cpusPerCell} CPU${shape.cpusPerCell > 1 ? "s" : ""}, ${shape.vectors} vector${shape.vectors > 1 ? "s" : ""}`;
  return { system, shape, label };
}
