import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, parseScript, SimSession } from "../../../proofs/index.js";
import { root } from "../../e2e/run.js";

const script = join(root, "examples", "sim", "kvm-nested-ept.sim");

function runAll(session: SimSession, text: string) {
  return parseScript(text).map((c) => session.run(c));
}

describe("warden sim: guest NAME vmx", () => {
  it("runs the nested-EPT example: validated, kicked on a breaking write, re-validated when memory leaves root", () => {
    const steps = runAll(new SimSession(script, "upstream"), readFileSync(script, "utf8"));
    const by = (prefix: string, nth = 0) => steps.filter((s) => s.command.startsWith(prefix))[nth];
    expect(steps.every((s) => s.violations.length === 0)).toBe(true);
    expect(by("guest qemu-x86 vmx cpu 1 kvm-run")?.result).toBe("ok");
    expect(by("guest qemu-x86 vmx state", 0)?.detail).toMatch(/EPT 0x1000000: valid/);
    expect(by("guest qemu-x86 vmx state", 1)?.detail).toMatch(/EPT 0x1000000: invalid[\s\S]*kicked/);
    expect(by("guest qemu-x86 vmx cpu 1 vmresume")?.detail).toMatch(/EPT is refused/);
    expect(by("guest qemu-x86 vmx cpu 1 vmwrite SECONDARY")?.detail).toMatch(/unsupported controls/);
    expect(by("guest qemu-x86 vmx cpu 1 vmwrite MSR_BITMAP")?.detail).toMatch(/outside the cell's memory/);
    expect(by("guest qemu-x86 vmx state", 2)?.detail).toMatch(/EPT 0x1200000: invalid/);
  });

  it("answers every vmx line with a result or a one-line script error", () => {
    const word = fc.constantFrom(
      "vmptrld",
      "vmclear",
      "vmread",
      "vmwrite",
      "vmlaunch",
      "vmresume",
      "exit",
      "invept",
      "kvm-ept",
      "kvm-run",
      "state",
      "cpu",
      "frob",
    );
    const arg = fc.constantFrom("0x1000000", "0x100001e", "1", "GUEST_RIP", "0x0:0x2000000:4k", "0:1:3m", "x", "7");
    fc.assert(
      fc.property(fc.array(fc.tuple(word, arg, arg), { maxLength: 12 }), (lines) => {
        const session = new SimSession(script, "upstream");
        session.run(parseScript("enable kvm-x86.yaml")[0] as never);
        for (const [w, a, b] of lines) {
          const [c] = parseScript(`guest qemu-x86 vmx ${w} ${a} ${b}`);
          try {
            expect(session.run(c as never).result).toMatch(/^(ok|0x[0-9a-f]+|fatal|ignored)$/);
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
