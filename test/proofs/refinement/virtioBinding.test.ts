import { describe, expect, it } from "vitest";
import * as real from "../../../hypervisor/index.js";
import {
  bindings,
  boundVirtioCell,
  builtinImplementation,
  COVERAGE_STATE_LIMIT,
  type CoreModule,
  conform,
  coreImplementation,
  loadExampleSet,
  PROBE_DEVICE,
  withVirtioDevice,
} from "../../../proofs/index.js";

const binding = bindings["virtio-msi"];
const budget = { runs: 25, steps: 30, seed: 11 };

describe("the VirtioMsi binding of warden conform", () => {
  it("gives a set without warden_virtio devices a probe device on its first cell with a CPU, and keeps a declared one", () => {
    const set = loadExampleSet("x86");
    expect(boundVirtioCell(set)).toBeUndefined();
    const probed = withVirtioDevice(set);
    const host = set.cells.find((c) => c.config.cpus.length > 0)?.config.name;
    expect(boundVirtioCell(probed)).toMatchObject({ name: host, warden_virtio: [PROBE_DEVICE] });
    const declared = { name: "vdb", base: 0x1000n, vectors: 1 };
    const last = set.cells.length - 1;
    const own = {
      ...set,
      cells: set.cells.map((c, i) => (i === last ? { ...c, config: { ...c.config, warden_virtio: [declared] } } : c)),
    };
    expect(withVirtioDevice(own)).toBe(own);
    expect(boundVirtioCell(own)?.warden_virtio).toEqual([declared]);
  });

  for (const example of ["x86", "arm64"] as const) {
    it(`conforms on the ${example} example, exercising every reachable label`, async () => {
      const r = await conform(
        loadExampleSet(example),
        "upstream",
        builtinImplementation,
        { ...budget, coverage: { stateLimit: COVERAGE_STATE_LIMIT } },
        binding,
      );
      expect(r.failure?.departure).toBeUndefined();
      expect(r.stepsChecked).toBeGreaterThan(100);
      expect(r.unmodelled).toBe(0);
      expect(r.coverage?.complete).toBe(true);
      expect(r.coverage?.missing).toEqual([]);
      expect(r.coverage?.reachable.some((l) => l.startsWith("DeliverMasked("))).toBe(true);
    });
  }

  it("departs from a core whose events on a masked vector are dropped, naming the step", async () => {
    const dropping: CoreModule = {
      ...real,
      virtioEvent: (hv, device, vector, settle) => {
        const v = real.virtioOf(hv).devices.find((d) => d.name === device)?.vectors[vector];
        if (v && !v.masked) real.virtioEvent(hv, device, vector, settle);
      },
    };
    const r = await conform(
      loadExampleSet("x86"),
      "upstream",
      (set, mode) => coreImplementation(dropping, set, mode),
      budget,
      binding,
    );
    expect(r.failure?.departure.command).toMatch(/raises vector/);
    expect(r.failure?.commands.length).toBeLessThanOrEqual(3);
  });

  it("departs from a core that delivers a masked vector (a step the model does not enable)", async () => {
    const eager: CoreModule = {
      ...real,
      virtioDeliver: (hv, device, vector) => {
        const v = real.virtioOf(hv).devices.find((d) => d.name === device)?.vectors[vector];
        if (v) v.masked = false;
        return real.virtioDeliver(hv, device, vector);
      },
    };
    const r = await conform(
      loadExampleSet("x86"),
      "upstream",
      (set, mode) => coreImplementation(eager, set, mode),
      { ...budget, shrink: false },
      binding,
    );
    expect(r.failure?.departure).toMatchObject({ expected: { result: "idle" } });
  });
});
