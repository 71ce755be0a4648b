/**
 * A hypercall in progress. Most finish at once; management calls that exchange messages with a
 * cell (or DISABLE's barrier) stay `waiting` until polled to completion. A poll with `idle`
 * (no cell will act any more) either lets a configured timeout expire or reports `blocked`:
 * upstream would spin forever there, with every other root CPU suspended.
 */
import { HypervisorError } from "./abi.js";
import type { Operation, Wait } from "./exchange.js";

export type CallStatus = "done" | "waiting" | "blocked";

export class Call {
  status: CallStatus = "waiting";
  result: number | undefined;
  wait: Wait | undefined;

  /** Starts `operation`, or records the result of a call that needed no polling. */
  constructor(
    readonly cpu: number,
    /** What was called: the hypercall's name, or the driver operation. */
    readonly label: string,
    private readonly operation: Operation | number,
  ) {
    if (typeof operation === "number") this.finish(operation);
    else this.advance(false);
  }

  /** Why the call cannot finish, when `blocked`. */
  get blockedReason(): string | undefined {
    if (this.status !== "blocked" || !this.wait) return undefined;
    if (this.wait.kind === "barrier") return `DISABLE waits for CPU ${this.wait.waitingFor.join(", ")} to issue it`;
    return `cell "${this.wait.cell}" does not answer ${this.wait.message} and its msg_reply_timeout is 0`;
  }

  /** One more iteration of the hypervisor's polling loop. */
  poll(idle = false): this {
    if (this.status === "done") return this;
    if (idle && (this.wait?.kind === "barrier" || this.wait?.pollsLeft === null)) {
      this.status = "blocked";
      return this;
    }
    this.advance(idle);
    return this;
  }

  private advance(idle: boolean): void {
    if (typeof this.operation === "number") return;
    try {
      const step = this.operation.next(idle);
      if (step.done) this.finish(step.value);
      else {
        this.status = "waiting";
        this.wait = step.value;
      }
    } catch (error) {
      if (!(error instanceof HypervisorError)) throw error;
      this.finish(error.result);
    }
  }

  private finish(result: number): void {
    this.status = "done";
    this.result = result;
    this.wait = undefined;
  }
}
