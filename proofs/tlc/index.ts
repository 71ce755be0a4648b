export { parseTlcOutput, runTlc, type TlcResult, type TlcRunOptions, type TlcVerdict, tlcJar } from "./runTlc.js";
export {
  type DistributedRunOptions,
  type DistributedTlcResult,
  defaultTlcServerPort,
  runTlcDistributed,
  runTlcWorker,
  safetyOnly,
  tlcWorkerArgs,
  tlcWorkerCommand,
} from "./runTlcDistributed.js";
