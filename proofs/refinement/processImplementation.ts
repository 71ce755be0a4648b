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
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { AbstractState, Command, Implementation, ImplementationFactory } from "./implementation.js";

export interface ProcessImplementation {
  readonly factory: ImplementationFactory;
  close(): void;
}

/** Starts `command` (a shell command line) once; each run re-loads it with `files`. */
export function processImplementation(command: string, files: readonly string[]): ProcessImplementation {
  let child: ChildProcessWithoutNullStreams | undefined;
  const pending: ((line: string) => void)[] = [];
  let exited: string | undefined;

  const start = () => {
    const c = spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: c.stdout }).on("line", (line) => pending.shift()?.(line));
    c.on("exit", (code) => {
      exited = `the implementation "${command}" exited (code ${code})`;
      for (const resolve of pending.splice(0)) resolve(JSON.stringify({ error: exited }));
    });
    return c;
  };

  const request = (message: object): Promise<Record<string, unknown>> => {
    child ??= start();
    if (exited) return Promise.reject(new Error(exited));
    const c = child;
    return new Promise((resolve, reject) => {
      pending.push((line) => {
        try {
          const answer = JSON.parse(line) as Record<string, unknown>;
          if (typeof answer.error === "string") reject(new Error(answer.error));
          else resolve(answer);
        } catch {
          reject(new Error(`the implementation answered something that is not JSON: ${line.slice(0, 80)}`));
        }
      });
      c.stdin.write(`${JSON.stringify(message)}\n`);
    });
  };

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
    close: () => child?.stdin.end(),
  };
}
