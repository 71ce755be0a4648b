/**
 * ManagementVote against an implementation, one hypervisor poll at a time.
 *
 * Atomicity: the model lets cells act between any two steps of the calling CPU; the core posts a
 * message and tests the reply in one go, and only waits (`yield`) after a test that decided
 * nothing. So one implementation step is a run of the model's hypervisor steps: a call (or a poll)
 * followed by posts, broadcasts and polls up to the next poll that spins, or to the return. The
 * cells' steps map one to one onto guest writes to their comm pages.
 *
 * Abstraction: the comm-region words of every cell, the call in progress (operation, target,
 * peer, cells still to be told), whether the other root CPUs are suspended, and the reply budget.
 * A configured timeout of T polls is at most `voteTimeoutCap` in the model; after the first poll
 * that waits the model has min(T, cap) - 1 polls left, and the poll where it times out is the
 * implementation's poll that lets the rest of T run out with no cell acting (`expire`).
 * The ghosts (fresh, result, committed, lockedAtCheck, lockedAtCommit, consent) are not compared;
 * `result` is the call's return value, compared as the step's result.
 *
 * List order: the model ranks cells in configuration order, the core lists them in creation
 * order; runs create cells only in rank order so the two agree (see the report in proofs/README).
 */
import type { ConfigSet } from "../../hypervisor/index.js";
import { findModel, type Value, voteTimeoutCap } from "../../models/index.js";
import type { CompiledModel } from "../explicit/compileModel.js";
import { configFacts } from "../instantiate/configFacts.js";
import type { ModelBinding } from "./bindings.js";
import { canonical } from "./canonical.js";
import type { AbstractState, Command, CommCellState, ManagementCall, VoteReply } from "./implementation.js";
import { enabledSteps, type ModelStep } from "./modelSteps.js";

const calls: Readonly<Record<string, ManagementCall>> = {
  CellCreate: "create",
  CellStart: "start",
  CellSetLoadable: "set_loadable",
  CellDestroy: "destroy",
};
const HYPERVISOR = new Set(["HypervisorPolls", "HypervisorBroadcasts", "HypervisorAsks"]);
const toReply: Readonly<Record<string, VoteReply>> = {
  APPROVED: "REQUEST_APPROVED",
  DENIED: "REQUEST_DENIED",
  UNKNOWN: "UNKNOWN",
  RECEIVED: "RECEIVED",
};
const toState: Readonly<Record<string, CommCellState>> = { SD: "SHUT_DOWN", FL: "FAILED", FCR: "FAILED_COMM_REV" };
/** Jailhouse's names of the comm-region words in the model's vocabulary. */
const stateName: Readonly<Record<string, string>> = {
  RUNNING: "RUN",
  RUNNING_LOCKED: "LCK",
  SHUT_DOWN: "SD",
  FAILED: "FL",
  FAILED_COMM_REV: "FCR",
};
const messageName: Readonly<Record<string, string>> = {
  NONE: "NONE",
  SHUTDOWN_REQUEST: "SHUTDOWN",
  RECONFIG_COMPLETED: "RECONFIG",
};
const replyName: Readonly<Record<string, string>> = {
  NONE: "NONE",
  UNKNOWN: "UNKNOWN",
  REQUEST_DENIED: "DENIED",
  REQUEST_APPROVED: "APPROVED",
  RECEIVED: "RECEIVED",
};
const EXCLUSIVITY: ReadonlySet<string> = new Set([
  "memory-exclusive",
  "device-exclusive",
  "pin-exclusive",
  "port-exclusive",
  "root-isolation",
]);

export const voteBinding: ModelBinding = {
  name: "vote",
  modelName: "ManagementVote",
  model(set: ConfigSet) {
    const entry = findModel("ManagementVote");
    if (!entry?.fromConfig) throw new Error("the model registry lost ManagementVote");
    return entry.build(entry.fromConfig(configFacts(set)));
  },
  steps: implementationSteps,
  coarser:
    "the core posts a message and tests the reply at once, so no cell acts in between, and it broadcasts in creation order, so cells are created in configuration order",
  favourCalls: true,
  command(step) {
    const cell = String(step.params.c);
    const call = calls[step.action];
    if (call) return { op: "issue", call, cell };
    switch (step.action) {
      case "HypervisorPolls":
        return { op: "poll", expire: step.params.expire === true };
      case "CellAnswers":
      case "SilentCellAnswers": {
        const reply = toReply[String(step.params.r)];
        return reply ? { op: "answer", cell, reply } : undefined;
      }
      case "CellLocks":
        return { op: "declare", cell, state: "RUNNING_LOCKED" };
      case "CellUnlocks":
        return { op: "declare", cell, state: "RUNNING" };
      case "CellDeclares": {
        const state = toState[String(step.params.s)];
        return state ? { op: "declare", cell, state } : undefined;
      }
      default:
        return undefined;
    }
  },
  expected(varNames, next, command: Command) {
    const get = (name: string) => next[varNames.indexOf(name)] as Value;
    const hypervisor = command.op === "issue" || command.op === "poll";
    const result = !hypervisor ? "ok" : get("pc") === "idle" ? String(get("result")) : "waiting";
    const cstate = plain(get("cstate")) as Record<string, string>;
    const view = {
      cstate,
      msg: unread(cstate, plain(get("msg")) as Record<string, string>),
      reply: unread(cstate, plain(get("reply")) as Record<string, string>),
      pc: get("pc"),
      op: get("op"),
      target: get("target"),
      peer: get("peer"),
      pending: plain(get("pending")),
      deniedBy: plain(get("deniedBy")),
      budget: get("budget"),
      rootSuspended: get("rootSuspended"),
    };
    return { result, view: canonical(view) };
  },
  actual: actualView,
  tolerated: (mode) => (mode === "upstream" ? EXCLUSIVITY : new Set()),
};

/** The implementation's exchange in the model's vocabulary (unknown words pass through, and differ). */
function actualView(s: AbstractState): string {
  const x = s.exchange;
  if (!x) return canonical({ error: "the implementation reports no exchange state" });
  const cells = Object.keys(s.cells).sort();
  const word = (
    cell: string,
    key: "state" | "msg" | "reply",
    names: Readonly<Record<string, string>>,
    none: string,
  ) => {
    const w = x.comm[cell];
    return w ? (names[w[key]] ?? w[key]) : none;
  };
  const per = (key: "state" | "msg" | "reply", names: Readonly<Record<string, string>>, none: string) =>
    Object.fromEntries(cells.map((c) => [c, word(c, key, names, none)]));
  const waiting = x.call?.waiting;
  const pc = !x.call ? "idle" : waiting?.message === "SHUTDOWN_REQUEST" ? "vote" : waiting ? "bpoll" : "running";
  const budget = waiting && waiting.pollsLeft !== null ? Math.min(waiting.pollsLeft, voteTimeoutCap - 1) : 0;
  const cstate = per("state", stateName, "absent");
  return canonical({
    cstate,
    msg: unread(cstate, per("msg", messageName, "NONE")),
    reply: unread(cstate, per("reply", replyName, "NONE")),
    pc,
    op: x.call?.op ?? "none",
    target: x.call?.target ?? "none",
    peer: waiting?.cell ?? "none",
    pending: [...(x.call?.remaining ?? [])].sort(),
    deniedBy: [],
    budget,
    rootSuspended: x.rootSuspended,
  });
}

/**
 * The steps the implementation can take from a model state: each cell step as it is, and each
 * call or poll extended by the hypervisor steps the core runs without waiting. Creates go in rank
 * order only, so the core's list (creation order) is the model's broadcast order.
 */
function implementationSteps(cm: CompiledModel, state: readonly Value[]): ModelStep[] {
  const at = (s: readonly Value[], name: string) => s[cm.varNames.indexOf(name)] as Value;
  const rank = rankOf(cm);
  const cstate = at(state, "cstate");
  const exists = (cell: string) => fnAt(cstate, cell) !== "absent";
  const out: ModelStep[] = [];
  for (const step of enabledSteps(cm, state)) {
    if (HYPERVISOR.has(step.action) && step.action !== "HypervisorPolls") continue;
    const cell = String(step.params.c);
    if (
      step.action === "CellCreate" &&
      [...rank.keys()].some((d) => exists(d) && (rank.get(d) ?? 0) > (rank.get(cell) ?? 0))
    )
      continue;
    if (step.action === "HypervisorPolls") {
      const polled = { ...step, params: { expire: at(state, "budget") === 1 } };
      out.push(extend(cm, state, polled));
    } else if (calls[step.action]) out.push(extend(cm, state, step));
    else out.push(step);
  }
  return out;
}

/** Runs the hypervisor on from `first` until a poll spins (the core waits there) or the call returns. */
function extend(cm: CompiledModel, from: readonly Value[], first: ModelStep): ModelStep {
  const pc = (s: readonly Value[]) => s[cm.varNames.indexOf("pc")];
  const path = [{ action: first.action, values: first.next }];
  let state = first.next;
  let spun = first.action === "HypervisorPolls" && pc(state) === pc(from);
  while (!spun && pc(state) !== "idle") {
    const own = enabledSteps(cm, state).filter((s) => HYPERVISOR.has(s.action));
    const step = own[0];
    if (!step || own.length > 1)
      throw new Error(`ManagementVote: the calling CPU has ${own.length} steps at pc ${String(pc(state))}`);
    spun = step.action === "HypervisorPolls" && pc(step.next) === pc(state);
    path.push({ action: step.action, values: step.next });
    state = step.next;
  }
  return { action: first.action, params: first.params, next: state, path };
}

function rankOf(cm: CompiledModel): Map<string, number> {
  const rank = cm.model.constants.find((c) => c.name === "Rank")?.value;
  if (!rank || typeof rank !== "object" || rank.kind !== "function") return new Map();
  return new Map(rank.domain.map((d, i) => [String(d), Number(rank.values[i])]));
}

function fnAt(f: Value, key: string): Value | undefined {
  if (!f || typeof f !== "object" || f.kind !== "function") return undefined;
  const i = f.domain.indexOf(key);
  return i < 0 ? undefined : f.values[i];
}

/**
 * The message and reply words of a SHUT_DOWN or FAILED cell, which nothing reads: the exchange
 * decides on the state first, the cell no longer acts, and start and destroy clear them. Upstream
 * (and the core) still post SHUTDOWN_REQUEST to such a cell before testing its state; the model
 * skips the post. Comparing those dead words would report that difference on every such vote.
 */
function unread(cstate: Record<string, string>, words: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(words).map(([c, w]) => [c, cstate[c] === "SD" || cstate[c] === "FL" ? "-" : w]),
  );
}

/** A model value as plain JSON: functions as records, sets as sorted arrays. */
function plain(v: Value): unknown {
  if (!v || typeof v !== "object") return v;
  if (v.kind === "function")
    return Object.fromEntries(v.domain.map((d, i) => [String(d), plain(v.values[i] as Value)]));
  if (v.kind === "set") return v.elems.map((e) => plain(e)).sort();
  return v;
}
