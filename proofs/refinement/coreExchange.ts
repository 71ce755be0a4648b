/**
 * The core's management exchange at poll granularity, for ManagementVote: the root issues a call
 * and the conformance run polls it one loop iteration at a time, while cells act on their comm
 * pages in between through the guest interface (as their code would). The abstraction reads the
 * comm-region words, the call in progress and the poll it waits in.
 */
import type { CellConfig, Hypervisor } from "../../hypervisor/index.js";
import type { CoreModule } from "./coreImplementation.js";
import type { Command, ExchangeState, ManagementCall, VoteReply } from "./implementation.js";

type Call = ReturnType<Hypervisor["hypercall"]>;
type ExchangeCommand = Extract<Command, { op: "issue" | "poll" | "answer" | "declare" }>;

/** The agent policy that makes a cell write exactly `reply` to the message it finds. */
const answering: Record<VoteReply, Parameters<CoreModule["agentStep"]>[2]> = {
  REQUEST_APPROVED: { request: "approve", info: "silent" },
  REQUEST_DENIED: { request: "deny", info: "silent" },
  UNKNOWN: { request: "unknown", info: "unknown" },
  RECEIVED: { request: "silent", info: "received" },
};

export interface CoreExchange {
  applicable(c: ExchangeCommand): boolean;
  perform(c: ExchangeCommand): string;
  state(): ExchangeState;
}

export function coreExchange(m: CoreModule, hv: Hypervisor, configs: ReadonlyMap<string, CellConfig>): CoreExchange {
  let current: { readonly call: Call; readonly op: ManagementCall; readonly target: string } | undefined;
  const cellOf = (name: string) => hv.s.cells.find((c) => c.name === name);
  const name = (table: Readonly<Record<string, number>>, code: number) =>
    Object.keys(table).find((k) => table[k] === code) ?? `0x${(code >>> 0).toString(16)}`;

  /** A finished call's result, or "waiting" while it polls. */
  const outcome = (call: Call): string => {
    if (call.status === "blocked") return "HANG";
    if (call.status !== "done") return "waiting";
    current = undefined;
    const r = call.result as number;
    return r === 0 ? "ok" : r > 0 ? String(r) : m.resultName(r).slice(1);
  };

  const issue = (op: ManagementCall, cell: string): Call => {
    if (op !== "create") return m.rootDriver.cellCommand(hv, op, cell);
    const config = configs.get(cell);
    if (!config) throw new Error(`no cell '${cell}' in the configuration set`);
    return m.rootDriver.cellCreate(hv, config);
  };

  return {
    applicable(c) {
      if (hv.s.disabled) return false;
      if (c.op === "poll") return current !== undefined;
      // A cell acts on its comm page from one of its own running CPUs.
      if (c.op === "answer" || c.op === "declare") {
        const cell = cellOf(c.cell);
        // A cell acts through a CPU executing guest code: running, not suspended, not failed. Any
        // running CPU made a failed cell's `declare` applicable, then find no CPU to write with
        // (diff-core seed 77: an internal error).
        return cell !== undefined && m.runningCpu(hv, cell) !== undefined;
      }
      if (current) return false;
      // As for the lifecycle binding: a started cell without CPUs could never answer (see coreImplementation.ts).
      const config = c.call === "start" ? configs.get(c.cell) : undefined;
      return config === undefined || config.cpus.length > 0 || (config.flags & 0x1) !== 0;
    },
    perform(c) {
      switch (c.op) {
        case "issue": {
          const call = issue(c.call, c.cell);
          current = { call, op: c.call, target: c.cell };
          return outcome(call);
        }
        case "poll": {
          if (!current) throw new Error("no management call is in progress");
          // An expiring poll tells the loop no cell acts any more: the core then lets the timeout run out.
          const wait = current.call.wait;
          const expire = c.expire && wait?.kind === "exchange" && wait.pollsLeft !== null;
          return outcome(current.call.poll(expire));
        }
        case "answer": {
          const cell = cellOf(c.cell);
          if (!cell) throw new Error(`cell '${c.cell}' does not exist`);
          const did = m.agentStep(hv, cell, answering[c.reply]);
          return did === undefined ? "nothing to answer" : did.kind === "ok" ? "ok" : `${did.kind}: ${did.reason}`;
        }
        case "declare": {
          const cell = cellOf(c.cell);
          if (!cell) throw new Error(`cell '${c.cell}' does not exist`);
          const did = m.writeOwnState(hv, cell, c.state);
          return did.kind === "ok" ? "ok" : `${did.kind}: ${did.reason}`;
        }
      }
    },
    state(): ExchangeState {
      const cells = hv.s.cells.slice(1);
      const comm = Object.fromEntries(
        cells.map((cell) => [
          cell.name,
          {
            state: name(m.cellStateCodes, m.readComm(hv, cell, "cellState")),
            msg: name(m.messages, m.readComm(hv, cell, "msgToCell")),
            reply: name(m.replies, m.readComm(hv, cell, "replyFromCell")),
          },
        ]),
      );
      const rootCpus = [...(hv.s.cells[0]?.cpus ?? [])];
      const suspended = (cpu: number) => hv.s.cpus.get(cpu)?.suspended === true;
      if (!current) return { comm, call: null, rootSuspended: rootCpus.some(suspended) };
      const caller = current.call.cpu;
      const wait = current.call.wait;
      const waiting =
        wait?.kind === "exchange"
          ? {
              cell: wait.cell,
              message: wait.message,
              pollsLeft: wait.pollsLeft === null ? null : Number(wait.pollsLeft),
            }
          : undefined;
      // The RECONFIG_COMPLETED broadcast walks the cell list in order, so the cells after the peer are still to come.
      const peer = waiting ? cells.findIndex((c) => c.name === waiting.cell) : -1;
      const remaining =
        waiting?.message === "RECONFIG_COMPLETED" && peer >= 0 ? cells.slice(peer + 1).map((c) => c.name) : [];
      return {
        comm,
        call: { op: current.op, target: current.target, ...(waiting ? { waiting } : {}), remaining },
        // A CPU destroy just returned to root is parked until the driver onlines it: it runs no root code either.
        rootSuspended: rootCpus
          .filter((cpu) => cpu !== caller)
          .every((cpu) => suspended(cpu) || hv.s.cpus.get(cpu)?.mode !== "running"),
      };
    },
  };
}
