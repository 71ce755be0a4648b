/**
 * Warden's own core behind the conformance protocol (see processImplementation.ts): proof that
 * the protocol path is real, and a template for a harness around another hypervisor.
 */
import { createInterface } from "node:readline";
import type { Mode } from "../../hypervisor/index.js";
import { loadConfigSet } from "../pipeline/loadConfig.js";
import { builtinImplementation } from "./coreImplementation.js";
import type { Command, Implementation } from "./implementation.js";

export async function serveCore(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  let impl: Implementation | undefined;
  for await (const line of createInterface({ input })) {
    let answer: object;
    try {
      const request = JSON.parse(line) as { op: string; files?: string[]; mode?: Mode; command?: Command };
      if (request.op === "load") {
        impl = builtinImplementation(
          loadConfigSet(request.files ?? []),
          request.mode === "strict" ? "strict" : "upstream",
        );
        answer = { ok: true };
      } else if (!impl) answer = { error: "load a configuration set first" };
      else if (request.op === "applicable") answer = { applicable: await impl.applicable(request.command as Command) };
      else if (request.op === "perform") answer = { result: await impl.perform(request.command as Command) };
      else if (request.op === "state")
        answer = { state: await impl.abstractState(), invariants: await impl.invariants() };
      else answer = { error: `unknown op "${request.op}"` };
    } catch (error) {
      answer = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
    output.write(`${JSON.stringify(answer)}\n`);
  }
}
