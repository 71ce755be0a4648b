export { parseTlcOutput, runTlc, type TlcResult, type TlcVerdict, tlcJar } from "./runTlc.js";
