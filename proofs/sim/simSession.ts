/**
 * A simulated Jailhouse machine driven one script line at a time: the hypervisor core, the root
 * driver, and one comm-region agent per cell whose answers the script sets. Management calls are
 * polled to completion with the agents acting between polls; a call that could only spin forever
 * is reported `blocked` instead of hanging.
 */
import { dirname, resolve } from "node:path";
import {
  type AgentPolicy,
  agentStep,
  archFor,
  type Call,
  type CellConfig,
  type CellState,
  checkInvariants,
  cooperative,
  type GuestOutcome,
  guestAccess,
  guestCpuOn,
  guestIpi,
  guestPio,
  guestRouteIrq,
  guestSystemReset,
  Hypervisor,
  HypervisorError,
  type InvariantViolation,
  type Mode,
  nestedVmxAssign,
  resultName,
  rootDriver,
  runningCpu,
  writeOwnState,
} from "../../hypervisor/index.js";
import { InputError } from "../diagnostics/InputError.js";
import { loadConfigFile } from "../pipeline/loadConfig.js";
import { type SimCommand, scriptError } from "./simScript.js";
import { formatState, type SimState, simState } from "./simState.js";
import { simVirtioCommand, simVirtioGuest } from "./simVirtio.js";
import { simVmxGuest } from "./simVmx.js";

/** Polls one management call may take before the simulator gives up (timeouts fast-forward, so this is a safety net). */
export const POLL_LIMIT = 1_000_000;

export interface StepRecord {
  readonly line: number;
  readonly command: string;
  /** `ok`, an errno name such as `-EPERM`, a value, `blocked`, `fatal` or `ignored`. */
  readonly result: string;
  readonly detail?: string;
  readonly violations: readonly InvariantViolation[];
  readonly state?: SimState;
}

const ownStates = {
  lock: "RUNNING_LOCKED",
  unlock: "RUNNING",
  shutdown: "SHUT_DOWN",
  fail: "FAILED",
  "comm-rev-fail": "FAILED_COMM_REV",
} as const;
const policies: Readonly<Record<string, AgentPolicy>> = {
  approve: cooperative,
  deny: { request: "deny", info: "received" },
  unknown: { request: "unknown", info: "unknown" },
  silent: { request: "silent", info: "silent" },
};

export class SimSession {
  private hv: Hypervisor | undefined;
  private readonly agents = new Map<string, AgentPolicy>();

  constructor(
    private readonly scriptFile: string,
    private readonly mode: Mode,
  ) {}

  get hypervisor(): Hypervisor | undefined {
    return this.hv;
  }

  run(command: SimCommand): StepRecord {
    const { result, detail } = this.execute(command);
    const violations = this.hv ? checkInvariants(this.hv) : [];
    return {
      line: command.line,
      command: command.text,
      result,
      ...(detail !== undefined ? { detail } : {}),
      violations,
      ...(this.hv ? { state: simState(this.hv) } : {}),
    };
  }

  private execute(c: SimCommand): { result: string; detail?: string } {
    const [verb, ...args] = c.words;
    const fail = (message: string) => scriptError(this.scriptFile, c, message);
    try {
      if (verb === "enable") return this.enable(c, args);
      const hv = this.hv;
      if (!hv) throw fail("the hypervisor is not enabled (use: enable SYSTEM.cell|yaml)");
      if (verb === "cell") return this.cellCommand(hv, c, args);
      if (verb === "disable") return this.drive(hv, rootDriver.disable(hv));
      if (verb === "guest") return this.guest(hv, c, args);
      if (verb === "virtio") return simVirtioCommand(hv, args, fail);
      if (verb === "hypercall") {
        const [cpu, code, a1, a2] = args.map((a) => number(a, fail));
        if (cpu === undefined || code === undefined) throw fail("usage: hypercall CPU CODE [ARG1 [ARG2]]");
        return this.drive(hv, hv.hypercall(Number(cpu), Number(code), a1 ?? 0n, a2 ?? 0n), true);
      }
      if (verb === "invariants") {
        const v = checkInvariants(hv);
        return {
          result: v.length === 0 ? "ok" : `${v.length} violated`,
          detail: v.map((x) => `${x.invariant}: ${x.message}`).join("\n"),
        };
      }
      throw fail(`unknown command "${verb}"`);
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (error instanceof HypervisorError) return { result: resultName(error.result) };
      throw fail(error instanceof Error ? error.message : String(error));
    }
  }

  private enable(c: SimCommand, args: readonly string[]): { result: string } {
    if (this.hv && !this.hv.s.disabled) return { result: "-EBUSY" };
    const file = this.path(c, args[0], "enable SYSTEM.cell|yaml");
    const loaded = loadConfigFile(file);
    if (loaded.kind === "cell") throw scriptError(this.scriptFile, c, `${file} is not a system configuration`);
    const system = loaded.kind === "set" ? loaded.set.system.config : loaded.loaded.config;
    this.hv = Hypervisor.enable(system, archFor(system.arch), this.mode);
    this.agents.clear();
    return { result: "ok" };
  }

  /** A cell configuration file, or one cell of a set document (`cell create set.yaml NAME`). */
  private cellConfig(hv: Hypervisor, c: SimCommand, args: readonly string[]): CellConfig {
    const file = this.path(c, args[0], "cell create CELL.cell|yaml [NAME]");
    const loaded = loadConfigFile(file, { arch: hv.s.system.arch });
    if (loaded.kind === "cell") return loaded.loaded.config;
    const cells = loaded.kind === "set" ? loaded.set.cells.map((x) => x.config) : [];
    const picked = args[1] === undefined && cells.length === 1 ? cells[0] : cells.find((x) => x.name === args[1]);
    if (!picked) {
      const names = cells.map((x) => x.name).join(", ") || "none";
      throw scriptError(this.scriptFile, c, `${file} holds no single cell to create; name one of its cells (${names})`);
    }
    return picked;
  }

  private cellCommand(hv: Hypervisor, c: SimCommand, args: readonly string[]): { result: string; detail?: string } {
    const [sub, arg] = args;
    if (sub === "list") return { result: "ok", detail: formatState(simState(hv)) };
    if (sub === "create") {
      const config = this.cellConfig(hv, c, args.slice(1));
      if (config.warden_nested_vmx) nestedVmxAssign(hv, [config]);
      return this.drive(hv, rootDriver.cellCreate(hv, config));
    }
    const hypercall = { load: "set_loadable", shutdown: "set_loadable", start: "start", destroy: "destroy" } as const;
    const op = hypercall[sub as keyof typeof hypercall];
    if (!op || !arg)
      throw scriptError(
        this.scriptFile,
        c,
        "usage: cell create FILE | cell load|start|shutdown|destroy NAME | cell list",
      );
    return this.drive(hv, rootDriver.cellCommand(hv, op, arg));
  }

  private guest(hv: Hypervisor, c: SimCommand, args: readonly string[]): { result: string; detail?: string } {
    const fail = (message: string) => scriptError(this.scriptFile, c, message);
    const [name, action, ...rest] = args;
    const cell = hv.s.cells.find((x) => x.name === name);
    if (!cell || !action) throw fail(`usage: guest NAME ACTION; no cell named "${name}"`);
    if (action === "virtio-write" || action === "virtio-read") {
      const cpu = runningCpu(hv, cell);
      if (cpu === undefined) throw fail(`cell "${cell.name}" has no running CPU`);
      return simVirtioGuest(hv, cpu, action, rest, fail);
    }
    if (action === "vmx") return simVmxGuest(hv, cell, rest, fail);
    const n = rest.map((a) => number(a, fail));
    if (action in policies) {
      this.agents.set(cell.name, policies[action] as AgentPolicy);
      return { result: "ok" };
    }
    if (action in ownStates) return outcome(writeOwnState(hv, cell, ownStates[action as keyof typeof ownStates]));
    const cpu = runningCpu(hv, cell);
    if (cpu === undefined) throw fail(`cell "${cell.name}" has no running CPU`);
    const [a, b, w] = n;
    switch (action) {
      case "read":
        if (a === undefined) throw fail("usage: guest NAME read ADDR [WIDTH]");
        return outcome(guestAccess(hv, cpu, a, Number(b ?? 4n), false));
      case "write":
        if (a === undefined || b === undefined) throw fail("usage: guest NAME write ADDR VALUE [WIDTH]");
        return outcome(guestAccess(hv, cpu, a, Number(w ?? 4n), true, b));
      case "ipi":
        if (a === undefined) throw fail("usage: guest NAME ipi CPU");
        return outcome(guestIpi(hv, cpu, Number(a)));
      case "route":
        if (a === undefined || b === undefined) throw fail("usage: guest NAME route PIN CPU");
        return outcome(guestRouteIrq(hv, cpu, Number(a), Number(b)));
      case "cpu-on":
        if (a === undefined) throw fail("usage: guest NAME cpu-on CPU");
        return outcome(guestCpuOn(hv, cpu, Number(a)));
      case "pio":
        if (a === undefined) throw fail("usage: guest NAME pio PORT [WIDTH]");
        return outcome(guestPio(hv, cpu, Number(a), Number(b ?? 1n), false));
      case "reset":
        return outcome(guestSystemReset(hv, cpu));
      case "hypercall":
        if (a === undefined) throw fail("usage: guest NAME hypercall CODE [ARG1 [ARG2]]");
        return this.drive(hv, hv.hypercall(cpu, Number(a), b ?? 0n, w ?? 0n), true);
      default:
        throw fail(`unknown guest action "${action}"`);
    }
  }

  /** Polls a call to completion, letting every cell's agent act between polls. */
  private drive(hv: Hypervisor, call: Call, raw = false): { result: string; detail?: string } {
    for (let polls = 0; call.status !== "done" && polls < POLL_LIMIT; polls++) {
      let acted = false;
      for (const cell of hv.s.cells.slice(1)) acted = this.act(hv, cell) || acted;
      call.poll(!acted);
      if (call.status === "blocked") return { result: "blocked", detail: call.blockedReason ?? "" };
    }
    if (call.status !== "done") return { result: "blocked", detail: `no result after ${POLL_LIMIT} polls` };
    const result = call.result as number;
    return { result: result === 0 && !raw ? "ok" : resultName(result) };
  }

  private act(hv: Hypervisor, cell: CellState): boolean {
    return agentStep(hv, cell, this.agents.get(cell.name) ?? cooperative) !== undefined;
  }

  private path(c: SimCommand, arg: string | undefined, usage: string): string {
    if (!arg) throw scriptError(this.scriptFile, c, `usage: ${usage}`);
    return resolve(this.scriptFile === "-" ? process.cwd() : dirname(this.scriptFile), arg);
  }
}

function outcome(o: GuestOutcome): { result: string; detail?: string } {
  if (o.kind === "ok")
    return { result: o.value === undefined ? "ok" : `0x${BigInt.asUintN(64, o.value).toString(16)}` };
  return { result: o.kind, detail: o.reason };
}

function number(word: string, fail: (m: string) => Error): bigint {
  try {
    return BigInt(word);
  } catch {
    throw fail(`"${word}" is not a number`);
  }
}
