/**
 * Realistic bugs planted in copies of `hypervisor/`, one per mutant. Each names the file and the
 * exact text it replaces; the test fails if a text no longer occurs exactly once, so a mutant
 * cannot silently stop applying when the core changes.
 */
import { virtioMsiMutants } from "./virtioMsiMutants.js";

export interface Mutant {
  readonly name: string;
  readonly bug: string;
  readonly file: string;
  readonly edits: readonly (readonly [find: string, replace: string])[];
  /** The model whose conformance should catch it, tried first (default lifecycle); the others follow. */
  readonly model?: "lifecycle" | "ownership" | "vote" | "virtio-msi";
}

const coreMutants: readonly Mutant[] = [
  {
    name: "keeps-memory-in-root",
    model: "ownership",
    bug: "create forgets to unmap the new cell's memory from the root cell",
    file: "core/cellCreate.ts",
    edits: [['if (!has(m, "COMM_REGION") && !has(m, "ROOTSHARED")) unmapFromRoot(core, m);', ""]],
  },
  {
    name: "cpus-to-wrong-cell",
    bug: "destroy returns the CPUs to the destroyed cell instead of the root cell",
    file: "core/destroyInternal.ts",
    edits: [["state.cell = root.id;", "state.cell = cell.id;"]],
  },
  {
    name: "locked-cell-not-asked",
    bug: "the shutdown request is skipped when the target is RUNNING_LOCKED",
    file: "core/cellManage.ts",
    edits: [
      [
        'if (!(yield* exchange(core, cell, "SHUTDOWN_REQUEST")))',
        'if (readComm(core, cell, "cellState") !== 1 && !(yield* exchange(core, cell, "SHUTDOWN_REQUEST")))',
      ],
      ["import { initCommRegion, writeComm }", "import { initCommRegion, readComm, writeComm }"],
    ],
  },
  {
    name: "prologue-order",
    bug: "destroy checks the other cells' lock before looking the target up",
    file: "core/cellManage.ts",
    edits: [
      [
        '  if (!cell) throw new HypervisorError("ENOENT");\n  if (isRoot(core, cell)) throw new HypervisorError("EINVAL");\n  if (task === "destroy" && !reconfigOk(core, cell)) throw new HypervisorError("EPERM");',
        '  if (task === "destroy" && !reconfigOk(core, cell)) throw new HypervisorError("EPERM");\n  if (!cell) throw new HypervisorError("ENOENT");\n  if (isRoot(core, cell)) throw new HypervisorError("EINVAL");',
      ],
    ],
  },
  {
    name: "leaks-on-failed-create",
    bug: "a create refused for a CPU conflict does not free the cell's pages",
    file: "core/cellCreate.ts",
    edits: [
      [
        "    archCellCreate(core, cell);\n  } catch (error) {\n    freeCell(core, cell);",
        "    archCellCreate(core, cell);\n  } catch (error) {",
      ],
    ],
  },
  {
    name: "pio-off-by-one",
    bug: "an I/O port range grants one port past its end",
    file: "arch/x86/pio.ts",
    edits: [["p < Math.min(r.base + r.length, 0x10000)", "p <= Math.min(r.base + r.length, 0x10000)"]],
  },
  {
    name: "stale-reply",
    bug: "the exchange does not clear the reply word before posting a message",
    file: "core/exchange.ts",
    edits: [['  writeComm(core, cell, "replyFromCell", replies.NONE);\n', ""]],
  },
  {
    name: "remaps-what-root-never-had",
    bug: "destroy gives a region back to root whole, not only where root's configuration had it",
    file: "core/memory.ts",
    edits: [["    } else continue;", "    } else {\n      phys = m.phys_start;\n      size = m.size;\n    }"]],
  },
  {
    name: "asks-passive-cells",
    bug: "passive cells are sent the shutdown request",
    file: "core/exchange.ts",
    edits: [["  if (isPassive(cell)) return true;\n", ""]],
  },
  {
    name: "comm-rev-approves",
    bug: "FAILED_COMM_REV is treated as an approval, like SHUT_DOWN and FAILED",
    file: "core/exchange.ts",
    edits: [
      [
        "state === cellStateCodes.SHUT_DOWN || state === cellStateCodes.FAILED)",
        "state === cellStateCodes.SHUT_DOWN || state === cellStateCodes.FAILED || state === cellStateCodes.FAILED_COMM_REV)",
      ],
    ],
  },
  {
    name: "lock-check-includes-target",
    bug: "destroy refuses when the target itself is locked",
    file: "core/cellManage.ts",
    edits: [['task === "destroy" && !reconfigOk(core, cell)', 'task === "destroy" && !reconfigOk(core, undefined)']],
  },
  {
    name: "timeout-never-fires",
    bug: "the reply timeout is compared against the wrong value and never expires",
    file: "core/exchange.ts",
    edits: [["if (budget === 0n) {", "if (budget === -1n) {"]],
  },
  {
    name: "start-keeps-comm-region",
    bug: "start does not reset the comm region, so the cell still reads as shut down",
    file: "core/cellManage.ts",
    edits: [["    initCommRegion(core, cell);\n", ""]],
  },
  {
    name: "create-leaves-cpus-running",
    bug: "create does not park the CPUs it takes from the root cell",
    file: "core/cellCreate.ts",
    edits: [["      parkCpu(core, c);\n", ""]],
  },
  {
    name: "destroy-keeps-cell-listed",
    bug: "destroy frees the cell but leaves it in the cell list",
    file: "core/cellManage.ts",
    edits: [["    core.s.cells.splice(core.s.cells.indexOf(cell), 1);\n", ""]],
  },
  {
    name: "approves-on-unknown",
    model: "vote",
    bug: "the exchange takes an UNKNOWN reply to a shutdown request as an approval",
    file: "core/exchange.ts",
    edits: [["if (reply === accept) return true;", "if (reply === accept || reply === replies.UNKNOWN) return true;"]],
  },
  {
    name: "reply-before-state",
    model: "vote",
    bug: "a poll tests the reply before the cell state, so a cell that answered and then crashed still vetoes",
    file: "core/exchange.ts",
    edits: [
      [
        '    const state = readComm(core, cell, "cellState");\n    if (state === cellStateCodes.SHUT_DOWN || state === cellStateCodes.FAILED) return true;\n    const reply = readComm(core, cell, "replyFromCell");\n    if (reply === accept) return true;\n    if (reply !== replies.NONE) return false;',
        '    const reply = readComm(core, cell, "replyFromCell");\n    if (reply === accept) return true;\n    if (reply !== replies.NONE) return false;\n    const state = readComm(core, cell, "cellState");\n    if (state === cellStateCodes.SHUT_DOWN || state === cellStateCodes.FAILED) return true;',
      ],
    ],
  },
  {
    name: "create-resumes-root-early",
    model: "vote",
    bug: "create resumes the other root CPUs before the RECONFIG_COMPLETED broadcast",
    file: "core/cellCreate.ts",
    edits: [
      [
        "    core.s.cells.push(cell);\n    yield* broadcastReconfigCompleted(core);",
        "    core.s.cells.push(cell);\n    resumeCell(core, root);\n    yield* broadcastReconfigCompleted(core);",
      ],
    ],
  },
  {
    name: "reconfig-keeps-stale-reply",
    model: "vote",
    bug: "RECONFIG_COMPLETED is posted without clearing the reply, so an earlier reply is read as this one's",
    file: "core/exchange.ts",
    edits: [
      [
        '  writeComm(core, cell, "replyFromCell", replies.NONE);\n',
        '  if (message === "SHUTDOWN_REQUEST") writeComm(core, cell, "replyFromCell", replies.NONE);\n',
      ],
    ],
  },
  {
    name: "ipi-to-foreign-cpu",
    model: "ownership",
    bug: "x86 delivers an IPI to any CPU of the system, not only to the sender's cell",
    file: "arch/x86/x86.ts",
    edits: [
      [
        'if (!cell.cpus.has(target)) return { kind: "ignored"',
        'if (!core.s.cpus.has(target)) return { kind: "ignored"',
      ],
    ],
  },
  {
    name: "ioapic-route-to-foreign-cpu",
    model: "ownership",
    bug: "x86 lets a cell point an IOAPIC pin at a CPU outside the cell",
    file: "arch/x86/x86.ts",
    edits: [
      [
        '    if (!cell.cpus.has(target))\n      return { kind: "fatal", reason: `IOAPIC redirection',
        '    if (false)\n      return { kind: "fatal", reason: `IOAPIC redirection',
      ],
    ],
  },
];

/** The whole planted-bug suite: the core's management mutants and the virtio interrupt unit's. */
export const mutants: readonly Mutant[] = [
  ...coreMutants,
  ...virtioMsiMutants.map((m) => ({ ...m, model: "virtio-msi" as const })),
];
