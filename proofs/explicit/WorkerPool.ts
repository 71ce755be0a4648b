/**
 * The worker threads of a parallel check. Under tsx or vitest (this file is TypeScript) a worker
 * registers tsx's loader before importing its entry point; from `dist/` it loads the JavaScript.
 */
import { Worker } from "node:worker_threads";
import type { Round, RoundReport, WorkerSetup } from "./LevelWorker.js";

interface Reply {
  readonly ready?: true;
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

export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  static async start(count: number, setup: WorkerSetup): Promise<WorkerPool> {
    const pool = new WorkerPool(Array.from({ length: count }, () => spawn(setup)));
    try {
      await pool.all(() => undefined);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Runs one round on every worker. */
  round(round: Round): Promise<RoundReport[]> {
    return this.all((w) => w.postMessage(round));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private all(send: (w: Worker) => void): Promise<RoundReport[]> {
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
            send(w);
          }),
      ),
    );
  }
}

function spawn(setup: WorkerSetup): Worker {
  const self = import.meta.url;
  if (self.endsWith(".js")) return new Worker(new URL("./parallelWorker.js", self), { workerData: setup });
  const entry = JSON.stringify(new URL("./parallelWorker.ts", self).href);
  const code = `import("tsx/esm/api").then(({ register }) => { register(); return import(${entry}); })`;
  return new Worker(code, { eval: true, workerData: setup });
}
