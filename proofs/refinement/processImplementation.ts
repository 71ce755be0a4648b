/**
 * An implementation in another process, spoken to over the conformance protocol: one JSON object
 * per line on its stdin, one JSON answer per line on its stdout.
 *
 *   → {"op":"load","files":["system.cell","cell.cell"],"mode":"upstream"}   ← {"ok":true}
 *   → {"op":"applicable","command":COMMAND}                                ← {"applicable":true}
 *   → {"op":"perform","command":COMMAND}                                   ← {"result":"EPERM"}
 *   → {"op":"state"}                          ← {"state":ABSTRACT_STATE,"invariants":["…"]}
 *   any request                                                           ← {"error":"why"}
 *
 * COMMAND and ABSTRACT_STATE are `Command` and `AbstractState` (implementation.ts) as JSON. For
 * ManagementVote the commands are `issue`, `poll`, `answer` and `declare` and the state needs its
 * `exchange` part; the ownership run also sends `ipi` and `route` and reads `holders`.
 * "load" resets the implementation, so one process serves every run.
 */
import { spawn } from "node:child_process";
import type { AbstractState, Command, Implementation, ImplementationFactory } from "./implementation.js";
import { jsonLinesChannel } from "./jsonLinesChannel.js";

export interface ProcessImplementation {
  readonly factory: ImplementationFactory;
  close(): void;
}

/** Starts `command` (a shell command line) once; each run re-loads it with `files`. */
export function processImplementation(command: string, files: readonly string[]): ProcessImplementation {
  const channel = jsonLinesChannel(() => spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"] }), {
    name: `the implementation "${command}"`,
  });
  const request = channel.request;

  const implementation: Implementation = {
    applicable: async (c: Command) => (await request({ op: "applicable", command: c })).applicable === true,
    perform: async (c: Command) => String((await request({ op: "perform", command: c })).result),
    abstractState: async () => (await request({ op: "state" })).state as AbstractState,
    invariants: async () => ((await request({ op: "state" })).invariants as string[] | undefined) ?? [],
  };

  return {
    factory: async (_set, mode) => {
      await request({ op: "load", files, mode });
      return implementation;
    },
    close: channel.close,
  };
}
