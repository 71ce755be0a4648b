/**
 * Entry point of a parallel-check worker thread. Messages: `setup` (compile the model sent, a
 * structured clone of the coordinator's, over the check's shared memory), `round` (expand heads,
 * answer with the report), `rehash` (help fill a new table), `release` (drop the check's memory).
 */
import { parentPort } from "node:worker_threads";
import { FlatShapeError } from "./Layout.js";
import { LevelWorker, type Round, type WorkerSetup } from "./LevelWorker.js";

interface Message {
  readonly setup?: WorkerSetup;
  readonly round?: Round;
  readonly rehash?: SharedArrayBuffer;
  readonly release?: true;
}

const port = parentPort;
let worker: LevelWorker | undefined;
port?.on("message", (message: Message) => {
  if (message.release) {
    worker = undefined;
    return;
  }
  try {
    if (message.setup) {
      worker = new LevelWorker(message.setup);
      port.postMessage({});
      worker.prefault();
    } else if (message.rehash) {
      worker?.rehash(message.rehash);
      port.postMessage({});
    } else if (message.round) {
      if (!worker) throw new Error("parallel check: a round before the setup");
      port.postMessage({ report: worker.run(message.round) });
    }
  } catch (error) {
    const failed = {
      message: error instanceof Error ? error.message : String(error),
      flat: error instanceof FlatShapeError,
    };
    port.postMessage({ failed });
  }
});
