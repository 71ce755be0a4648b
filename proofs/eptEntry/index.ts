/** The bit-precise proof of nested-EPT validation's per-entry check. */
export {
  acceptFun,
  type EptObligation,
  type EptSmtMutant,
  eptEntryObligations,
  eptEntryPrelude,
  eptSmtMutants,
} from "./eptEntrySmt.js";
export { type EptObligationResult, proveEptEntry, solveNative } from "./proveEptEntry.js";
