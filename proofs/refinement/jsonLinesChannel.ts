/**
 * One JSON-lines conversation with a child process, the transport of the conformance protocol
 * (processImplementation.ts) and of the C harness (proofs/upstream/harnessProcess.ts): a request
 * is one JSON object on the child's stdin, its answer the next line on stdout; `{"error": …}`
 * rejects. The child starts on the first request; if it exits, every pending and later request
 * rejects with why (the last line of its stderr, when it wrote one).
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

export interface JsonLinesChannel {
  request(message: object): Promise<Record<string, unknown>>;
  /** Ends the child's stdin (it exits at end of input). */
  close(): void;
}

export interface ChannelOptions {
  /** Who answers, for messages: `the C harness`, `the implementation "…"`. */
  readonly name: string;
  /** Put before an `error` the child reports (default: nothing). */
  readonly errorPrefix?: string;
}

export function jsonLinesChannel(
  start: () => ChildProcessWithoutNullStreams,
  options: ChannelOptions,
): JsonLinesChannel {
  let child: ChildProcessWithoutNullStreams | undefined;
  const pending: ((line: string) => void)[] = [];
  let exited: string | undefined;
  let stderr = "";

  const spawn = () => {
    const c = start();
    createInterface({ input: c.stdout }).on("line", (line) => pending.shift()?.(line));
    c.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    c.on("exit", (code) => {
      const last = stderr.trim().split("\n").at(-1);
      exited = `${options.name} exited (code ${code})${last ? `: ${last}` : ""}`;
      for (const resolve of pending.splice(0)) resolve(JSON.stringify({ error: exited }));
    });
    return c;
  };

  return {
    request(message) {
      child ??= spawn();
      if (exited) return Promise.reject(new Error(exited));
      const c = child;
      return new Promise((resolve, reject) => {
        pending.push((line) => {
          try {
            const answer = JSON.parse(line) as Record<string, unknown>;
            if (typeof answer.error === "string") reject(new Error(`${options.errorPrefix ?? ""}${answer.error}`));
            else resolve(answer);
          } catch {
            reject(new Error(`${options.name} answered something that is not JSON: ${line.slice(0, 80)}`));
          }
        });
        c.stdin.write(`${JSON.stringify(message)}\n`);
      });
    },
    close: () => child?.stdin.end(),
  };
}
