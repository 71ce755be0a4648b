/**
 * The cell units in link order: PCI first, then the virtio-mmio interrupt unit (a Warden
 * extension), then the architecture's (interrupt controller, IOMMU).
 */
import type { ArchUnit } from "./archOps.js";
import type { Core } from "./context.js";
import { pciCellExit, pciCellInit } from "./pci.js";
import type { CellState } from "./state.js";
import { virtioUnit } from "./virtioUnit.js";

const pciUnit: ArchUnit = { name: "pci", cellInit: pciCellInit, cellExit: pciCellExit };

export function unitsOf(core: Core): readonly ArchUnit[] {
  return [pciUnit, virtioUnit, ...core.arch.units];
}

/** Initialises every unit; on failure the units already done are exited in reverse and the error rethrown. */
export function unitsInit(core: Core, cell: CellState): void {
  const units = unitsOf(core);
  for (let i = 0; i < units.length; i++) {
    try {
      units[i]?.cellInit(core, cell);
    } catch (error) {
      for (let j = i - 1; j >= 0; j--) units[j]?.cellExit(core, cell);
      throw error;
    }
  }
}

export function unitsExit(core: Core, cell: CellState): void {
  for (const unit of [...unitsOf(core)].reverse()) unit.cellExit(core, cell);
}
