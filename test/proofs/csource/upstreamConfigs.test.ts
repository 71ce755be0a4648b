/**
 * Upstream's own configurations: every `configs/<arch>/*.c` of a Jailhouse tree compiles to the
 * bytes upstream's `configs/Makefile` produces (run through test/fixtures/kbuild-shim.mk, the
 * kbuild rules that Makefile relies on), and findings of `prove` on each board's system with each
 * of its cells name the source line of the element they blame. Runs when WARDEN_UPSTREAM_SRC or
 * WARDEN_JAILHOUSE_SRC names a checkout; nothing of it is committed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  compileCConfig,
  InputError,
  initCParser,
  loadConfigSet,
  proveIsolation,
  type SourceLocation,
  sourceLocationOf,
} from "../../../proofs/index.js";
import { hasGcc } from "./cFixture.js";

const tree = process.env.WARDEN_UPSTREAM_SRC || process.env.WARDEN_JAILHOUSE_SRC || "";
const enabled = hasGcc && tree !== "" && existsSync(join(tree, "configs/Makefile"));
if (!enabled)
  process.stderr.write(
    "[warden] upstream C configurations skipped: set WARDEN_UPSTREAM_SRC (or WARDEN_JAILHOUSE_SRC) to a Jailhouse checkout\n",
  );

const arches = ["x86", "arm", "arm64"] as const;
const sources = (arch: string): string[] =>
  readdirSync(join(tree, "configs", arch))
    .filter((f) => f.endsWith(".c"))
    .sort();
const shim = fileURLToPath(new URL("../../fixtures/kbuild-shim.mk", import.meta.url));

/** Each board's system configuration with each of its cells (x86's demos all run on qemu-x86). */
function pairings(): [string, string][] {
  const out: [string, string][] = [];
  for (const arch of arches) {
    const files = sources(arch).map((f) => join(tree, "configs", arch, f));
    const isSystem = (f: string) => /struct\s+jailhouse_system\s+header/.test(readFileSync(f, "utf8"));
    const systems = files.filter(isSystem);
    for (const system of systems) {
      const board = system.replace(/\.c$/, "");
      const cells = files.filter(
        (f) => !isSystem(f) && (arch === "x86" ? board.endsWith("qemu-x86") : f.startsWith(`${board}-`)),
      );
      for (const cell of cells) out.push([system, cell]);
    }
  }
  return out;
}

describe.skipIf(!enabled)("upstream's C configurations", () => {
  const built = mkdtempSync(join(tmpdir(), "warden-kbuild-"));
  beforeAll(async () => {
    process.env.WARDEN_CACHE_DIR = mkdtempSync(join(tmpdir(), "warden-ccache-"));
    await initCParser();
    for (const arch of arches) {
      const archFlags = arch === "arm" && process.arch === "x64" ? "-m32" : "";
      const make = spawnSync(
        "make",
        ["-s", "-f", shim, `JH=${tree}`, `OUT=${built}`, `SRCARCH=${arch}`, `ARCHFLAGS=${archFlags}`, "all"],
        { encoding: "utf8" },
      );
      if (make.status !== 0) throw new Error(`upstream's configs/Makefile failed for ${arch}: ${make.stderr}`);
    }
  }, 600_000);

  it("compiles every configuration to the bytes of upstream's own build", () => {
    const differing: string[] = [];
    let compared = 0;
    for (const arch of arches) {
      for (const f of sources(arch)) {
        const ours = compileCConfig(join(tree, "configs", arch, f)).bytes;
        const theirs = readFileSync(join(built, arch, f.replace(/\.c$/, ".cell")));
        compared++;
        if (Buffer.compare(ours, theirs) !== 0) differing.push(`${arch}/${f}`);
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(differing).toEqual([]);
  }, 600_000);

  it("names, for findings on each system/cell pairing, the line that initializes the blamed element", async () => {
    const all = pairings();
    const sample = process.env.WARDEN_C_PAIRINGS === "all" ? all : all.filter((_, i) => i % 6 === 0);
    process.stderr.write(`[warden] proving ${sample.length} of ${all.length} upstream pairings\n`);
    let checked = 0;
    for (const pairing of sample) {
      let set: ReturnType<typeof loadConfigSet>;
      try {
        set = loadConfigSet(pairing);
      } catch (error) {
        // imx8dxl-inmate-demo-aarch32 carries no architecture byte: no system accepts it.
        if (error instanceof InputError && error.diagnostic.code === "WRD201") continue;
        throw error;
      }
      const results = await proveIsolation(set);
      for (const w of results.flatMap((r) => r.witnesses)) {
        for (const ref of [w.first, w.second]) {
          if (ref.byteOffset === undefined || !ref.file.endsWith(".c")) continue;
          const at = sourceLocationOf(ref.file, ref.byteOffset);
          expect(at, `${ref.file} @ 0x${ref.byteOffset.toString(16)}`).toBeDefined();
          if (!at) continue;
          checked++;
          expect([ref.what, lineKind(at, ref.what)]).toEqual([ref.what, "initializer of the element"]);
        }
      }
    }
    process.stderr.write(`[warden] ${checked} witness descriptors checked against their source lines\n`);
  }, 1_800_000);
});

/** What the reported line is, read from the file: the element's `{`, its macro, or something else. */
function lineKind(at: SourceLocation, what: string): string {
  const line = (readFileSync(at.file, "utf8").split("\n")[at.line - 1] ?? "").replace(/\/\*.*?\*\//g, "").trim();
  const index = /(\d+)/.exec(what)?.[1];
  if (index !== undefined && !at.element.endsWith(`[${index}]`)) return `another element (${at.element})`;
  if (at.macro) return line.startsWith(`${at.macro}(`) ? "initializer of the element" : `not the macro: ${line}`;
  if (what.startsWith("CPU"))
    return /^\.cpus\s*=|^\.cpu_set_size|^0[xb]?[0-9a-f]+/i.test(line) ? "initializer of the element" : line;
  return /^\{|^\[\s*\d+\s*\]\s*=/.test(line) ? "initializer of the element" : `not an element's start: ${line}`;
}
