/**
 * The worker threads of parallel checks, kept between checks (one pool per thread count) so that
 * checking several models, or a test suite, starts threads once. Idle workers are unreferenced,
 * so they never keep the process alive. Under tsx or vitest (this file is TypeScript) a worker
 * registers tsx's loader before importing its entry point; from `dist/` it loads the JavaScript.
 */
import { Worker } from "node:worker_threads";
import type { Round, RoundReport, WorkerSetup } from "./LevelWorker.js";

interface Reply {
  readonly report?: RoundReport;
  readonly failed?: { message: string; flat: boolean };
}

/** A worker failed: `flat` when a value did not fit the flat layout (search again unflattened). */
export class WorkerFailure extends Error {
  constructor(
    message: string,
    readonly flat: boolean,
  ) {
    super(message);
  }
}

const pools = new Map<number, WorkerPool>();

export class WorkerPool {
  /**
   * Settles when the check holding the pool releases it. A check may end while its threads are
   * still compiling the model (it releases them once they have); the next one waits for that, or
   * the threads' late reply would be taken for the answer to its own setup.
   */
  private held: Promise<void> = Promise.resolve();
  private letGo: (() => void) | undefined;
  /** No check holds the pool or waits for it: the next one takes it without awaiting. */
  private free = true;

  private constructor(private readonly workers: Worker[]) {}

  /** Workers for one check, set up with its model and shared memory; `release` gives them back. */
  static async start(count: number, setup: WorkerSetup): Promise<WorkerPool> {
    let pool = pools.get(count);
    if (!pool) {
      pool = new WorkerPool(Array.from({ length: count }, spawn));
      pools.set(count, pool);
    }
    const owner = pool;
    const previous = pool.held;
    const wasFree = pool.free;
    pool.free = false;
    let letGo = (): void => undefined;
    const held: Promise<void> = new Promise((resolve) => {
      letGo = () => {
        // Free again only if no other check has queued behind this one meanwhile.
        if (owner.held === held) owner.free = true;
        resolve();
      };
    });
    pool.held = held;
    // A free pool is taken at once, so the setup is posted now: the threads compile the model
    // while this one goes on searching (an await here would post it only once this thread's
    // synchronous search yields, and leave them idle until then).
    if (!wasFree) {
      await previous;
      // Discarded by its previous holder: this check's threads are new ones.
      if (pools.get(count) !== pool) {
        letGo();
        return WorkerPool.start(count, setup);
      }
    }
    pool.letGo = letGo;
    for (const w of pool.workers) w.ref();
    try {
      await pool.all({ setup });
    } catch (error) {
      pool.discard();
      throw error;
    }
    return pool;
  }

  /** Runs one round on every worker. */
  round(round: Round): Promise<RoundReport[]> {
    return this.request({ round });
  }

  /** Has every worker help fill a new table. */
  async rehash(table: SharedArrayBuffer): Promise<void> {
    await this.request({ rehash: table });
  }

  /** Ends a check: the workers drop its memory and wait, unreferenced, for the next one. */
  release(): void {
    for (const w of this.workers) {
      w.postMessage({ release: true });
      w.unref();
    }
    this.handOver();
  }

  /** `all`, the pool discarded when a worker fails (its state is unknown). */
  private async request(message: object): Promise<RoundReport[]> {
    try {
      return await this.all(message);
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  private discard(): void {
    if (pools.get(this.workers.length) === this) pools.delete(this.workers.length);
    for (const w of this.workers) void w.terminate();
    this.handOver();
  }

  /** Lets the next check waiting for this pool have it. */
  private handOver(): void {
    const letGo = this.letGo;
    this.letGo = undefined;
    letGo?.();
  }

  private all(message: object): Promise<RoundReport[]> {
    return Promise.all(
      this.workers.map(
        (w) =>
          new Promise<RoundReport>((resolve, reject) => {
            const onError = (error: Error) => reject(new WorkerFailure(error.message, false));
            w.once("error", onError);
            w.once("message", (reply: Reply) => {
              w.off("error", onError);
              if (reply.failed) reject(new WorkerFailure(reply.failed.message, reply.failed.flat));
              else resolve(reply.report as RoundReport);
            });
            w.postMessage(message);
          }),
      ),
    );
  }
}

function spawn(): Worker {
  const self = import.meta.url;
  if (self.endsWith(".js")) return new Worker(new URL("./parallelWorker.js", self));
  const entry = JSON.stringify(new URL("./parallelWorker.ts", self).href);
  const code = `import("tsx/esm/api").then(({ register }) => { register(); return import(${entry}); })`;
  return new Worker(code, { eval: true });
}
