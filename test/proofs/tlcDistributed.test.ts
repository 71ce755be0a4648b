import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { emitTla } from "../../generators/index.js";
import { resolveModels, runTlc, runTlcDistributed, safetyOnly } from "../../proofs/index.js";

const jar = process.env.WARDEN_TLA2TOOLS;
if (!jar) process.stderr.write("[warden] distributed TLC test skipped: WARDEN_TLA2TOOLS is not set (CI has no TLC)\n");

const emit = (name: string, params: Record<string, string>) => {
  const [r] = resolveModels([name], params);
  if (!r) throw new Error(`no model ${name}`);
  return { name: r.model.name, emitted: emitTla(r.model, { command: "test", version: "test", inputHash: "test" }) };
};

/** A port nobody listens on now, so parallel test runs do not meet each other's server. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

describe("the .cfg distributed TLC reads", () => {
  it("keeps everything but the PROPERTIES section (distributed TLC checks invariants only)", () => {
    const { name, emitted } = emit("ManagementVote", {});
    const full = emitted.files[`MC${name}.cfg`] ?? "";
    const cfg = safetyOnly(name, emitted).files[`MC${name}.cfg`] ?? "";
    expect(full).toMatch(/^PROPERTIES\n {2}ExchangeEnds\n {2}CallsReturn$/m);
    expect(cfg).not.toMatch(/PROPERTIES|ExchangeEnds|CallsReturn/);
    expect(cfg.split("\n")).toEqual(full.split("\n").filter((l) => !/PROPERTIES|ExchangeEnds|CallsReturn/.test(l)));
    expect(cfg).toMatch(/^INVARIANTS\n {2}TypeOK\n/m);
  });
});

describe.skipIf(!jar)("TLC's distributed mode on localhost (a server and two workers)", () => {
  for (const [model, params] of [
    ["TwoPhase", { rms: "3" }],
    ["ManagementVote", {}],
  ] as const) {
    it(`${model} ${JSON.stringify(params)}: the same distinct states and verdict as one-worker TLC`, async () => {
      const { name, emitted } = emit(model, params);
      const one = runTlc(name, safetyOnly(name, emitted), jar);
      const dist = await runTlcDistributed(name, emitted, { port: await freePort(), localWorkers: 2 }, jar);
      expect(dist.workersRegistered).toBe(2);
      expect([dist.verdict, dist.distinctStates]).toEqual([one.verdict, one.distinctStates]);
      expect(one.verdict).toBe("success");
    }, 180_000);
  }
});
