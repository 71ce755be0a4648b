/**
 * Entry point of a parallel-check worker thread: compiles the model it is sent (a structured
 * clone of the coordinator's), then runs one round per message and answers with its report.
 */
import { parentPort, workerData } from "node:worker_threads";
import { FlatShapeError } from "./Layout.js";
import { LevelWorker, type Round, type WorkerSetup } from "./LevelWorker.js";

const port = parentPort;
if (port) {
  let worker: LevelWorker | undefined;
  try {
    worker = new LevelWorker(workerData as WorkerSetup);
    port.postMessage({ ready: true });
  } catch (error) {
    port.postMessage({ failed: describe(error) });
  }
  port.on("message", (round: Round) => {
    try {
      port.postMessage({ report: (worker as LevelWorker).run(round) });
    } catch (error) {
      port.postMessage({ failed: describe(error) });
    }
  });
}

function describe(error: unknown): { message: string; flat: boolean } {
  return { message: error instanceof Error ? error.message : String(error), flat: error instanceof FlatShapeError };
}
