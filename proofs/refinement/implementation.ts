/**
 * What conformance needs from an implementation of Jailhouse's management semantics — Warden's own
 * core, a mutant of it, or anyone's hypervisor behind the JSON-lines protocol. Commands and the
 * abstract state are plain JSON so they cross a process boundary unchanged.
 */
import type { ConfigSet, Mode } from "../../hypervisor/index.js";

/** The abstract cell states of the CellLifecycle model (semantics.md §1.6). */
export type AbstractCellState = "absent" | "SD0" | "SDL" | "RUN" | "LCK" | "SDC" | "FL" | "FCR";

/** One operation: a root-cell hypercall, or an action of a cell on its own behalf. */
export type Command =
  | { readonly op: "get_state"; readonly cell: string }
  | { readonly op: "create"; readonly cell: string; readonly silent?: readonly string[] }
  | {
      readonly op: "set_loadable" | "start" | "destroy";
      readonly cell: string;
      /** How the target answers the shutdown request: timeout and hang both mean it stays silent. */
      readonly vote: "approve" | "deny" | "timeout" | "hang" | "none";
      /**
       * create and destroy: the cells that never answer the RECONFIG_COMPLETED broadcast after the
       * commit (absent: every asked cell answers).
       */
      readonly silent?: readonly string[];
    }
  | { readonly op: "disable" }
  | { readonly op: "write_state"; readonly cell: string; readonly state: "RUN" | "LCK" | "SDC" | "FL" | "FCR" }
  | { readonly op: "cpus_fail"; readonly cell: string }
  /** ManagementVote: the root issues a management hypercall, which runs to its first poll that waits (or returns). */
  | { readonly op: "issue"; readonly call: ManagementCall; readonly cell: string }
  /**
   * ManagementVote: the hypervisor's loop polls once more. `expire`: the remaining reply timeout runs
   * out before any cell acts (the model counts a timeout in at most two polls; many silent polls are one).
   */
  | { readonly op: "poll"; readonly expire: boolean }
  /** ManagementVote: the cell clears msg_to_cell and writes `reply` to reply_from_cell. */
  | { readonly op: "answer"; readonly cell: string; readonly reply: VoteReply }
  /** ManagementVote: the cell writes its own cell_state (lock, unlock, shut down, crash). */
  | { readonly op: "declare"; readonly cell: string; readonly state: CommCellState }
  /**
   * A guest action no model has: a running CPU of `cell` ("root" for the root cell) sends an IPI
   * to CPU `target`. The result names the CPUs it reached ("delivered to 2") or is "dropped".
   */
  | { readonly op: "ipi"; readonly cell: string; readonly target: number }
  /**
   * A guest action no model has: `cell` routes interrupt `pin` of the chip at `chip` (hex address)
   * to CPU `target`. The result is the route afterwards ("routed to 2") or "not routed".
   */
  | {
      readonly op: "route";
      readonly cell: string;
      readonly chip: string;
      readonly pin: number;
      readonly target: number;
    }
  | VirtioCommand;

/**
 * VirtioMsi: the virtio-mmio device of `cell` (its first `warden_virtio` device) raises `vector`,
 * or the hypervisor delivers it (result "delivered to CELL:INDEX", "held" or "idle"). Guest
 * writes come from CPU `cpu` of the cell, counted among its CPUs in ascending order; an entry
 * names its target the same way (`root:0`: the root cell's lowest CPU).
 */
export type VirtioCommand =
  | { readonly op: "virtio_event" | "virtio_deliver"; readonly cell: string; readonly vector: number }
  | { readonly op: "virtio_select"; readonly cell: string; readonly cpu: number; readonly index: number }
  | { readonly op: "virtio_entry"; readonly cell: string; readonly cpu: number; readonly target: string }
  | { readonly op: "virtio_mask"; readonly cell: string; readonly cpu: number; readonly mask: boolean };

export const isVirtioCommand = (c: Command): c is VirtioCommand => c.op.startsWith("virtio_");

/** A virtio device's vectors as the implementation holds them (targets as in {@link VirtioCommand}, "none" if no CPU). */
export interface VirtioDeviceView {
  readonly entry: readonly string[];
  readonly mask: readonly boolean[];
  readonly pending: readonly boolean[];
  readonly sel: number;
}

export type ManagementCall = "create" | "start" | "set_loadable" | "destroy";
export type VoteReply = "REQUEST_APPROVED" | "REQUEST_DENIED" | "UNKNOWN" | "RECEIVED";
/** cell_state of a comm region, by its Jailhouse name. */
export type CommCellState = "RUNNING" | "RUNNING_LOCKED" | "SHUT_DOWN" | "FAILED" | "FAILED_COMM_REV";

/**
 * The comm-region exchange as the implementation holds it, for ManagementVote. Words are given by
 * their Jailhouse names (unknown codes as hex).
 */
export interface ExchangeState {
  /** The comm-region words of every existing non-root cell. */
  readonly comm: Readonly<Record<string, { readonly state: string; readonly msg: string; readonly reply: string }>>;
  /** The management call in progress, if any. */
  readonly call: {
    readonly op: ManagementCall;
    readonly target: string;
    /** The exchange the call polls: its peer, the message posted, polls left before the timeout (null: none). */
    readonly waiting?: { readonly cell: string; readonly message: string; readonly pollsLeft: number | null };
    /** Cells after the peer in the hypervisor's list, still to be sent RECONFIG_COMPLETED. */
    readonly remaining: readonly string[];
  } | null;
  /** During a call: no root CPU but the caller runs root code (each is suspended or parked); between calls: some root CPU is suspended. */
  readonly rootSuspended: boolean;
}

export interface AbstractState {
  readonly cells: Readonly<Record<string, AbstractCellState>>;
  /** Cells the hypervisor counts, root included. */
  readonly count: number;
  readonly disabled: boolean;
  /** A management call never returned. */
  readonly hung: boolean;
  /**
   * Who holds each resource of the ResourceOwnership model (names as `ownershipSpec` gives them:
   * `cpu2`, `mem 0x…-0x…`, `pci 0:00:02.0`, `irq 0x…:4`, `pio 0x2f8+8`, `stream 0x…`), the
   * holders sorted, the root cell as `root`. Optional: without it only CellLifecycle is checked.
   */
  readonly holders?: Readonly<Record<string, readonly string[]>>;
  /** The management exchange (ManagementVote). Optional: without it that model is not checked. */
  readonly exchange?: ExchangeState;
  /** Each existing cell's virtio device by cell name (VirtioMsi). Optional: without it that model is not checked. */
  readonly virtio?: Readonly<Record<string, VirtioDeviceView>>;
}

/**
 * An implementation under test. Every method may answer asynchronously, so one behind a process
 * boundary (`processImplementation`) is driven exactly like the built-in core.
 */
export interface Implementation {
  /**
   * Whether the command can be performed as the model means it (e.g. a cell without CPUs cannot fail
   * them). A query: it changes no state (conformance reuses the state after a step as the next one's before).
   */
  applicable(command: Command): boolean | Promise<boolean>;
  /** Performs the command; the result is `ok`, an errno name without the minus (`EPERM`), a value, or `HANG`. */
  perform(command: Command): string | Promise<string>;
  abstractState(): AbstractState | Promise<AbstractState>;
  /** The implementation's own invariant violations, if it can report them. */
  invariants(): readonly string[] | Promise<readonly string[]>;
}

/** Makes a fresh implementation loaded with a configuration set, one per run. */
export type ImplementationFactory = (set: ConfigSet, mode: Mode) => Implementation | Promise<Implementation>;

export function describeCommand(c: Command): string {
  switch (c.op) {
    case "create":
      return `create cell '${c.cell}'${silentText(c.silent)}`;
    case "get_state":
      return `get the state of '${c.cell}'`;
    case "set_loadable":
    case "start":
    case "destroy":
      return `${c.op.replace("_", "-")} '${c.cell}' (the cell's answer: ${c.vote})${silentText(c.silent)}`;
    case "disable":
      return "disable the hypervisor";
    case "write_state":
      return `'${c.cell}' writes its state ${c.state}`;
    case "cpus_fail":
      return `every CPU of '${c.cell}' traps fatally`;
    case "issue":
      return `root issues ${c.call.replace("_", "-")} '${c.cell}' (runs to its first wait)`;
    case "poll":
      return c.expire
        ? "the hypervisor polls again after the reply timeout ran out unanswered"
        : "the hypervisor polls again";
    case "answer":
      return `'${c.cell}' answers ${c.reply}`;
    case "declare":
      return `'${c.cell}' writes its cell_state ${c.state}`;
    case "ipi":
      return `'${c.cell}' sends an IPI to CPU ${c.target}`;
    case "route":
      return `'${c.cell}' routes interrupt ${c.chip}:${c.pin} to CPU ${c.target}`;
    case "virtio_event":
      return `the virtio device of '${c.cell}' raises vector ${c.vector}`;
    case "virtio_deliver":
      return `the hypervisor delivers vector ${c.vector} of '${c.cell}''s virtio device`;
    case "virtio_select":
      return `CPU ${c.cpu} of '${c.cell}' writes VECTOR_SEL ${c.index}`;
    case "virtio_entry":
      return `CPU ${c.cpu} of '${c.cell}' writes the selected vector's entry naming CPU ${c.target}`;
    case "virtio_mask":
      return `CPU ${c.cpu} of '${c.cell}' writes MASK ${c.mask ? 1 : 0} for the selected vector`;
  }
}

const silentText = (silent: readonly string[] | undefined) =>
  silent && silent.length > 0 ? ` (silent to RECONFIG_COMPLETED: ${silent.map((x) => `'${x}'`).join(", ")})` : "";
