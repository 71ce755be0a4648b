/**
 * Realistic bugs planted in copies of the nested-VMX code (hypervisor/arch/x86/vmx*, nestedEpt*),
 * each caught by conformance to NestedEpt. The first four are the model's must-fail twins in
 * code; each names the exact text it replaces, and the test fails if a text no longer occurs once.
 */
import type { Mutant } from "./mutants.js";

export const nestedEptMutants: readonly Omit<Mutant, "model">[] = [
  {
    name: "ept-protects-root-only",
    bug: "validation write-protects only the EPT's root page, not its lower tables (twin: tables)",
    file: "arch/x86/nestedEptTracking.ts",
    edits: [["for (const page of v.tables) protectPage(core, cell, vc, page);", "protectPage(core, cell, vc, root);"]],
  },
  {
    name: "ept-no-revalidation-on-shrink",
    bug: "another cell's create takes memory from the KVM cell without re-walking its valid EPTs (twin: revalidate)",
    file: "arch/x86/vmx.ts",
    edits: [
      ["if (nestedVmxEnabled(core, cell)) nestedMemoryShrunk", "if (!nestedVmxEnabled(core, cell)) nestedMemoryShrunk"],
    ],
  },
  {
    name: "ept-shared-table-tracked-once",
    bug: "a table page already tracked for one EPT is not tracked for a second EPT using it (twin: sharing)",
    file: "arch/x86/nestedEptTracking.ts",
    edits: [
      [
        "for (const [page, level] of v.levels) tables.set(page, level);",
        "for (const [page, level] of v.levels) if (![...vc.epts.values()].some((o) => o.tables.has(page))) tables.set(page, level);",
      ],
    ],
  },
  {
    name: "ept-write-not-checked",
    bug: "a trapped write to a tracked table page is handled as if no EPT used the page: unprotected and executed, the EPT stays valid",
    file: "arch/x86/nestedEptWrite.ts",
    edits: [["const users = trackers(vc, page);", "const users: bigint[] = [];"]],
  },
  {
    name: "ept-no-kick",
    bug: "an EPT a write breaks is declared invalid but the CPUs running on it are not kicked",
    file: "arch/x86/nestedEptWrite.ts",
    edits: [['kickRunners(core, cell, root, "kicked: a write broke its EPT");', ""]],
  },
  {
    name: "ept-entry-write-right",
    bug: "the per-entry check lets a leaf grant write access to memory the cell may only read",
    file: "arch/x86/nestedEptEntry.ts",
    edits: [["(write && !r.write) || ", ""]],
  },
  {
    name: "ept-new-pointer-kept-valid",
    bug: "a trapped write installing a new table pointer keeps the EPT valid when the re-walk passes, leaving the new table untracked",
    file: "arch/x86/nestedEptWrite.ts",
    edits: [['if (now.kind === "table" && !(', "if (false && !("]],
  },
  {
    name: "ept-entry-on-invalid",
    bug: "VMLAUNCH on an EPT the hypervisor holds invalid enters without walking it again",
    file: "arch/x86/vmxEntry.ts",
    edits: [["if (!vc.epts.get(root)?.valid) {", "if (!vc.epts.has(root)) {"]],
  },
  {
    name: "ept-invept-forgets-valid",
    bug: "INVEPT makes the hypervisor forget a valid EPT, leaving its table pages untracked",
    file: "arch/x86/vmxEntry.ts",
    edits: [["if (ept && !ept.valid && ![...cpus]", "if (ept && ![...cpus]"]],
  },
];
