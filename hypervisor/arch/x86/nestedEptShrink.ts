/**
 * Re-validation when memory leaves a cell running KVM (another cell's create took it from root):
 * each valid EPT is walked again over the smaller memory, one that now reaches beyond it becomes
 * invalid and its CPUs are kicked (CPUs that left the cell forget their nested state: `vmxCpu`).
 */
import type { CellState, Core } from "../../core/index.js";
import { kickRunners } from "./nestedEptKick.js";
import { cellEptRegions, readEntry } from "./nestedEptRegions.js";
import { eptPointerOf, validateEpt } from "./nestedEptValidate.js";
import { vmxOf } from "./vmxState.js";

export function nestedMemoryShrunk(core: Core, cell: CellState): void {
  const state = vmxOf(core);
  const vc = state.cells.get(cell.id);
  if (!vc) return;
  const regions = cellEptRegions(core, cell, vc);
  // Protection of pages that left the cell went with their mapping.
  for (const gfn of [...vc.protectedPages.keys()])
    if (!regions.some((r) => BigInt(gfn) * 4096n >= r.start && BigInt(gfn) * 4096n < r.start + r.size))
      vc.protectedPages.delete(gfn);
  for (const [root, ept] of vc.epts) {
    if (!ept.valid || validateEpt(eptPointerOf(root), regions, (a) => readEntry(core, cell, a)).ok) continue;
    ept.valid = false;
    kickRunners(core, cell, root, "kicked: its EPT reaches memory the cell lost");
  }
}
