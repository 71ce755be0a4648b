import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { examplePath, InputError, parseScript, SimSession } from "../../../proofs/index.js";

const name = fc.constantFrom("rt-bare-metal", "linux", "qemu-x86", "nobody");
const num = fc.constantFrom("0", "1", "2", "3", "7", "0x1000", "0x80000000", "0xfec00000", "-1", "x");
const line = fc.oneof(
  fc.constant("enable SET"),
  fc.tuple(fc.constant("cell create SET"), name).map(([a, b]) => `${a} ${b}`),
  fc.tuple(fc.constantFrom("load", "start", "shutdown", "destroy"), name).map(([op, n]) => `cell ${op} ${n}`),
  fc.constant("cell list"),
  fc.constant("disable"),
  fc.constant("invariants"),
  fc
    .tuple(
      name,
      fc.constantFrom(
        "lock",
        "unlock",
        "approve",
        "deny",
        "silent",
        "unknown",
        "shutdown",
        "fail",
        "comm-rev-fail",
        "reset",
      ),
    )
    .map(([n, a]) => `guest ${n} ${a}`),
  fc
    .tuple(name, fc.constantFrom("read", "write", "ipi", "route", "cpu-on", "pio", "hypercall"), num, num)
    .map(([n, a, x, y]) => `guest ${n} ${a} ${x} ${y}`),
  fc.tuple(num, num, num).map(([c, code, a]) => `hypercall ${c} ${code} ${a}`),
  fc.constantFrom("", "# comment", "frobnicate", "cell", "guest"),
);

describe("warden sim sessions", () => {
  for (const example of ["x86", "arm64"] as const) {
    it(`never fail internally on ${example}: every step gives a result or a script error`, () => {
      fc.assert(
        fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
          const session = new SimSession("script.sim", "upstream");
          const text = ["enable SET", "cell create SET rt-bare-metal", "cell create SET linux", ...lines]
            .join("\n")
            .replaceAll("SET", examplePath(example));
          for (const command of parseScript(text)) {
            try {
              const step = session.run(command);
              expect(step.result).toMatch(/^(ok|-E[A-Z0-9]+|\d+|0x[0-9a-f]+|blocked|fatal|ignored|\d+ violated)$/);
              if (step.result === "blocked") break;
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              expect(error.diagnostic.field).toBe(`line ${command.line}`);
            }
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
