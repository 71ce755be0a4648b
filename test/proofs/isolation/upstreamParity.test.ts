/**
 * Every finding upstream's jailhouse-config-check reports on its own pairings (scripts/check-configs),
 * Warden reports too. Runs when WARDEN_UPSTREAM_CELLS names a directory of upstream-built rev-14
 * files and WARDEN_UPSTREAM_SRC an upstream checkout (for the Python checker); skips otherwise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigSet, proveIsolation } from "../../../proofs/index.js";

const cells = (process.env.WARDEN_UPSTREAM_CELLS ?? "").split(":")[0] ?? "";
const src = process.env.WARDEN_UPSTREAM_SRC ?? "";
const enabled = cells !== "" && src !== "" && existsSync(join(src, "tools/jailhouse-config-check"));
if (!enabled)
  process.stderr.write("[warden] upstream checker parity skipped: set WARDEN_UPSTREAM_CELLS and WARDEN_UPSTREAM_SRC\n");

/** Upstream's section headings and the Warden rules that cover them. */
const coverage: Record<string, readonly string[]> = {
  "Overlapping memory regions inside cell": ["WRD-CELL-PHYS-OVERLAP", "WRD-CELL-VIRT-OVERLAP"],
  "Overlapping memory regions with hypervisor": ["WRD-MEM-HYPERVISOR"],
  "Missing PCI MMCONFIG interceptions": ["WRD-MEM-MMCONFIG"],
  "Missing IOMMU interceptions": ["WRD-MEM-IOMMU"],
  "Missing resource interceptions for architecture": ["WRD-MEM-IRQCHIP"],
};

const pairings: string[][] = [
  ["x86-qemu-x86", "x86-apic-demo", "x86-tiny-demo"],
  ["x86-qemu-x86", "x86-ivshmem-demo", "x86-linux-x86-demo"],
  ["arm64-zynqmp-zcu102", "arm64-zynqmp-zcu102-inmate-demo", "arm64-zynqmp-zcu102-linux-demo"],
  ["arm64-qemu-arm64", "arm64-qemu-arm64-inmate-demo", "arm64-qemu-arm64-linux-demo"],
  ["arm-bananapi", "arm-bananapi-inmate-demo", "arm-bananapi-linux-demo"],
  ["arm64-hikey", "arm64-hikey-inmate-demo", "arm64-hikey-linux-demo"],
];

describe.skipIf(!enabled)("parity with upstream's jailhouse-config-check", () => {
  for (const pairing of pairings) {
    it(`reports everything upstream reports for ${pairing.join(" + ")}`, async () => {
      const files = pairing.map((p) => join(cells, `${p}.cell`)).filter(existsSync);
      const upstream = spawnSync("python3", [join(src, "tools/jailhouse-config-check"), ...files], {
        encoding: "utf8",
      });
      const found = Object.keys(coverage).filter((heading) => {
        const section = upstream.stdout.split(heading)[1]?.split(/\n[A-Z][^\n]*:/)[0] ?? "";
        return /In cell/.test(section);
      });
      const arch = pairing[0]?.startsWith("arm64") ? "arm64" : pairing[0]?.startsWith("arm-") ? "arm" : "x86";
      const results = await proveIsolation(loadConfigSet(files, { arch }));
      const violated = new Set(results.filter((r) => r.verdict === "violated").map((r) => r.rule.id));
      for (const heading of found) {
        expect([heading, coverage[heading]?.some((rule) => violated.has(rule))]).toEqual([heading, true]);
      }
    });
  }
});
