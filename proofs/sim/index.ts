export { parseScript, type SimCommand } from "./simScript.js";
export { POLL_LIMIT, SimSession, type StepRecord } from "./simSession.js";
export { formatState, type SimState } from "./simState.js";
export { simTrace } from "./simTrace.js";
