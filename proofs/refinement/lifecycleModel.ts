/**
 * The CellLifecycle model instantiated for a configuration set, and the translation between its
 * steps and states and the implementation's commands and abstract states.
 */

import type { ConfigSet } from "../../hypervisor/index.js";
import { cellLifecycle, type Model, type Value } from "../../models/index.js";
import type { AbstractState, Command } from "./implementation.js";
import type { ModelStep } from "./modelSteps.js";

const PASSIVE_COMMREG = 0x1;

export function lifecycleFor(set: ConfigSet): Model {
  const cells = set.cells.map((c) => c.config);
  return cellLifecycle({
    cells: cells.map((c) => c.name),
    passive: cells.filter((c) => (c.flags & PASSIVE_COMMREG) !== 0).map((c) => c.name),
    withTimeout: cells.filter((c) => c.msg_reply_timeout > 0n).map((c) => c.name),
  });
}

const text = (v: Value | undefined): string => (typeof v === "string" ? v : String(v));

/** The command that performs a model step, or undefined for an action conformance does not drive. */
export function commandOf(step: ModelStep): Command | undefined {
  const cell = text(step.params.c);
  switch (step.action) {
    case "CellCreate":
    case "CellCreateUnanswered":
      return { op: "create", cell, silent: silentOf(step) };
    case "CellGetState":
      return { op: "get_state", cell };
    case "CellSetLoadable":
    case "CellStart":
    case "CellDestroy":
    case "CellDestroyUnanswered": {
      const op = (
        {
          CellSetLoadable: "set_loadable",
          CellStart: "start",
          CellDestroy: "destroy",
          CellDestroyUnanswered: "destroy",
        } as const
      )[step.action];
      const vote = text(step.params.vote) as "approve";
      return op === "destroy" ? { op, cell, vote, silent: silentOf(step) } : { op, cell, vote };
    }
    case "HypervisorDisable":
      return { op: "disable" };
    case "CellWritesState":
      return { op: "write_state", cell, state: text(step.params.s) as "RUN" };
    case "CellCpusFail":
      return { op: "cpus_fail", cell };
    default:
      return undefined;
  }
}

/** The cells a create or destroy step's RECONFIG_COMPLETED broadcast finds silent. */
function silentOf(step: ModelStep): string[] {
  const s = step.params.silent;
  return s && typeof s === "object" && s.kind === "set" ? s.elems.map(text) : [];
}

/** The model's state in the implementation's vocabulary, and the result its last step predicts. */
export function modelView(
  varNames: readonly string[],
  state: readonly Value[],
): { abstract: AbstractState; result: string } {
  const get = (name: string) => state[varNames.indexOf(name)];
  const fn = get("state");
  const cells: Record<string, string> = {};
  if (fn && typeof fn === "object" && fn.kind === "function") {
    for (const [i, k] of fn.domain.entries()) cells[text(k)] = text(fn.values[i]);
  }
  const last = get("lastOp");
  const result =
    last && typeof last === "object" && last.kind === "record"
      ? text(last.values[last.names.indexOf("result")])
      : "none";
  return {
    abstract: {
      cells: cells as AbstractState["cells"],
      count: Number(get("count")),
      disabled: get("disabled") === true,
      hung: get("hung") === true,
    },
    result,
  };
}
