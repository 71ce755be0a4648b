/**
 * Realistic bugs planted in copies of the virtio interrupt unit (hypervisor/virtio/), each caught
 * by conformance to VirtioMsi. Each names the exact text it replaces; the test fails if a text
 * no longer occurs exactly once.
 */
import type { Mutant } from "./mutants.js";

export const virtioMsiMutants: readonly Omit<Mutant, "model">[] = [
  {
    name: "msi-unmask-drops-pending",
    bug: "unmask clears the pending bit instead of delivering it (a lost interrupt)",
    file: "virtio/virtioIrq.ts",
    edits: [
      ["  } else {\n    v.masked = false;\n  }", "  } else {\n    v.masked = false;\n    v.pending = false;\n  }"],
    ],
  },
  {
    name: "msi-trapped-write-unchecked",
    bug: "the trapped address/data handler stores a destination outside the cell",
    file: "virtio/virtioIrq.ts",
    edits: [['if (s.design === "trapped" && !msiEntryValid(s, d, next))', 'if (s.design === "trapped" && false)']],
  },
  {
    name: "msi-delivery-not-revalidated",
    bug: "the delivery design injects without re-reading the entry",
    file: "virtio/virtioIrq.ts",
    edits: [['if (s.design === "delivery" && !msiEntryValid(s, d, v))', 'if (s.design === "delivery" && false)']],
  },
  {
    name: "msi-unmask-unvalidated",
    bug: "the untrapped designs unmask an entry without validating it",
    file: "virtio/virtioIrq.ts",
    edits: [['} else if (s.design !== "trapped" && !msiEntryValid(s, d, v)) {', "} else if (false) {"]],
  },
  {
    name: "msi-select-wraps",
    bug: "an out-of-range VECTOR_SEL wraps around instead of being ignored",
    file: "virtio/virtioIrq.ts",
    edits: [["=> d.vectors[d.sel];", "=> d.vectors[d.sel % d.vectors.length];"]],
  },
  {
    name: "msi-delivers-masked",
    bug: "delivery ignores the mask bit",
    file: "virtio/virtioIrq.ts",
    edits: [['if (!v?.pending || v.masked) return "idle";', 'if (!v?.pending) return "idle";']],
  },
  {
    name: "msi-delivery-keeps-pending",
    bug: "delivery leaves the pending bit set, so the interrupt is delivered again without an event",
    file: "virtio/virtioIrq.ts",
    edits: [["  v.pending = false;\n  return record(", "  return record("]],
  },
  {
    name: "msi-event-dropped-while-masked",
    bug: "an event on a masked vector is dropped instead of left pending",
    file: "virtio/virtioIrq.ts",
    edits: [["else v.pending = true;", "else if (!v.masked) v.pending = true;"]],
  },
];
