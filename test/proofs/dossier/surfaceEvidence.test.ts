import { describe, expect, it } from "vitest";
import type { ConfigSet } from "../../../hypervisor/index.js";
import { plannedEvidenceIds, producerContext } from "../../../proofs/dossier/collectEvidence.js";
import type { EvidenceItem } from "../../../proofs/dossier/evidenceItem.js";
import { loadRequirements } from "../../../proofs/dossier/requirements.js";
import { surfaceEvidence } from "../../../proofs/dossier/surfaceEvidence.js";
import { dossierSurface, surfaceSectionHtml, surfaceSectionMarkdown } from "../../../proofs/dossier/surfaceSection.js";
import { loadExampleSet } from "../../../proofs/index.js";

const options = { conformRuns: 1, conformSteps: 1, seed: 1 };
const run = async (set: ConfigSet) => {
  const [job] = surfaceEvidence.jobs(producerContext(set, options));
  const [item] = (await job?.run()) ?? [];
  return item ?? expect.unreachable();
};
const asEvidence = (item: Awaited<ReturnType<typeof run>>): EvidenceItem => ({
  ...item,
  params: {},
  inputs: {},
  producedAt: "2026-12-04T00:00:00.000Z",
  freshness: "new",
});

describe("the dossier's reachable-surface requirement", () => {
  it("is traced to planned evidence", () => {
    const req = loadRequirements().find((r) => r.id === "REQ-SURFACE") ?? expect.unreachable();
    expect(req.links).toEqual(["surface:cells"]);
    expect(plannedEvidenceIds(producerContext(loadExampleSet("x86"), options)).has("surface:cells")).toBe(true);
  });

  it("passes on the example, and its metrics give the section's table and chart", async () => {
    const item = await run(loadExampleSet("x86"));
    expect(item.result).toBe("pass");
    const s = dossierSurface([asEvidence(item)]) ?? expect.unreachable();
    expect(s.rows.map((r) => r.cell)).toEqual(["qemu-x86", "rt-bare-metal", "linux"]);
    expect(s.rows.find((r) => r.cell === "linux")).toMatchObject({ limit: 400 });
    expect(s.rows[0]?.lines).toBeGreaterThan(s.rows[1]?.lines ?? Number.POSITIVE_INFINITY);
    expect(surfaceSectionMarkdown(s).join("\n")).toMatch(/^\| linux \| \d+ \| \d+ \| \d+ \| 400 \| \d+ \|$/m);
    expect(surfaceSectionHtml(s, (t) => t)).toContain("<svg");
  });

  it("fails when a cell's configuration breaks its surface budget (a planted IOAPIC)", async () => {
    const set = loadExampleSet("x86");
    const planted: ConfigSet = {
      ...set,
      cells: set.cells.map((c) =>
        c.config.name === "linux"
          ? {
              ...c,
              config: {
                ...c.config,
                irqchips: [{ address: 0xfec00000n, id: 0xff00, pin_base: 0, pin_bitmap: [0x10, 0, 0, 0] }],
              },
            }
          : c,
      ),
    };
    const item = await run(planted);
    expect(item.result).toBe("fail");
    expect(item.counterexample?.text).toMatch(/x86-linux: linux: reaches forbidden entry point "IOAPIC"/);
  });
});
