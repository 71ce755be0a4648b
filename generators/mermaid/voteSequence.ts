/**
 * A ManagementVote trace as the sequence diagram an engineer draws of the exchange: the calling
 * root CPU, the hypervisor and each cell as participants; calls, comm-region messages, replies,
 * polls and returns as arrows; the cells' own state writes as notes. Read from the trace's
 * variables, so it works for counterexamples and witnesses alike.
 */
import { showValue, type Value } from "../../models/index.js";
import type { TraceInput } from "../itf/index.js";

const words: Readonly<Record<string, string>> = {
  SHUTDOWN: "SHUTDOWN_REQUEST",
  RECONFIG: "RECONFIG_COMPLETED",
  SD: "SHUT_DOWN",
  RUN: "RUNNING",
  LCK: "RUNNING_LOCKED",
  FL: "FAILED",
  FCR: "FAILED_COMM_REV",
};
const word = (s: string): string => words[s] ?? s;

/** The variables this renderer needs; other traces go to the generic renderer. */
export const isVoteTrace = (trace: TraceInput): boolean =>
  ["cstate", "msg", "reply", "pc", "peer", "result"].every((v) => trace.vars.includes(v));

export function voteSequence(trace: TraceInput): string {
  const at = (k: number, name: string): Value => trace.steps[k]?.values[trace.vars.indexOf(name)] as Value;
  const cellMap = (k: number, name: string): Map<string, string> => {
    const f = at(k, name);
    if (typeof f !== "object" || f.kind !== "function") return new Map();
    return new Map(f.domain.map((d, i) => [String(d), showValue(f.values[i] as Value)]));
  };
  const cells = [...cellMap(0, "cstate").keys()];
  const id = (cell: string): string => `c_${cell.replace(/\W/g, "_")}`;
  const lines = [
    "sequenceDiagram",
    "  participant root as root CPU",
    "  participant hv as hypervisor",
    ...cells.map((c) => `  participant ${id(c)} as ${c}`),
  ];
  for (let k = 1; k < trace.steps.length; k++) {
    if (trace.loop !== undefined && k === trace.loop + 1) lines.push("  loop forever");
    const action = trace.steps[k]?.action ?? "";
    const [verb = "", args = ""] = action.split(/[()]/);
    const [who = "", what = ""] = args.split(",").map((s) => s.trim());
    const before = { state: cellMap(k - 1, "cstate"), msg: cellMap(k - 1, "msg") };
    const after = { state: cellMap(k, "cstate"), msg: cellMap(k, "msg") };
    const result = showValue(at(k, "result"));
    const call = /^Cell(Create|Start|SetLoadable|Destroy)$/.exec(verb);
    const returned = showValue(at(k, "pc")) === "idle" && (call !== null || showValue(at(k - 1, "pc")) !== "idle");
    if (call) {
      lines.push(`  root->>hv: ${call[1]?.toLowerCase().replace("setloadable", "set_loadable")}(${who})`);
      if (showValue(at(k, "lockedAtCheck")) === "TRUE")
        lines.push("  Note over hv: lock check: a cell is RUNNING_LOCKED");
    }
    if (verb === "CellAnswers" || verb === "SilentCellAnswers") lines.push(`  ${id(who)}-->>hv: ${what}`);
    if (verb === "CellLocks" || verb === "CellUnlocks" || verb === "CellDeclares")
      lines.push(`  Note over ${id(who)}: writes ${word(after.state.get(who) ?? "")}`);
    for (const c of cells) {
      const posted = after.msg.get(c);
      if (posted !== "NONE" && posted !== before.msg.get(c) && !verb.endsWith("Answers"))
        lines.push(`  hv->>${id(c)}: ${word(posted ?? "")}`);
      if (verb === "HypervisorPolls" && after.state.get(c) === "FL" && before.state.get(c) !== "FL")
        lines.push(`  Note over hv,${id(c)}: reply timeout: ${c} suspended, FAILED`);
    }
    if (verb === "HypervisorPolls") {
      const peer = showValue(at(k - 1, "peer"));
      const decided = showValue(at(k, "peer")) === "none";
      const seen = cellMap(k - 1, "reply").get(peer) ?? "NONE";
      const why = seen !== "NONE" ? seen : word(before.state.get(peer) ?? "");
      if (!decided) lines.push(`  hv->>${id(peer)}: poll (${showValue(at(k, "budget"))} left)`);
      else if (showValue(at(k, "committed")) === "TRUE" && showValue(at(k - 1, "committed")) !== "TRUE")
        lines.push(
          `  Note over hv,${id(peer)}: ${showValue(at(k, "consent"))}: ${showValue(at(k - 1, "op"))} committed`,
        );
      else if (showValue(at(k - 1, "pc")) === "bpoll") lines.push(`  Note over hv,${id(peer)}: ${why}: next cell`);
    }
    if (verb === "HypervisorBroadcasts" && !returned) {
      const next = [...cells].find((c) => after.msg.get(c) === "RECONFIG" && before.msg.get(c) !== "RECONFIG");
      const pending = (j: number): string[] => {
        const v = at(j, "pending");
        return typeof v === "object" && v.kind === "set" ? v.elems.map(String) : [];
      };
      const skipped = pending(k - 1).find((c) => !pending(k).includes(c));
      if (!next && skipped) lines.push(`  Note over hv,${id(skipped)}: passive: not asked`);
    }
    if (returned) lines.push(`  hv-->>root: ${result === "ok" ? "0" : `-${result}`}`);
  }
  if (trace.loop !== undefined) {
    if (trace.loop === trace.steps.length - 1) lines.push("  loop forever");
    lines.push(`    Note over root,hv: back to state ${trace.loop}: nothing ever changes this`, "  end");
  }
  return `${lines.join("\n")}\n`;
}
