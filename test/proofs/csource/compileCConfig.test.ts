import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeConfig } from "../../../hypervisor/index.js";
import { compileCConfig, InputError, setJailhouseSrc } from "../../../proofs/index.js";
import { fixtureCell, hasGcc, miniTree } from "./cFixture.js";

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return `${error.diagnostic.code} ${error.diagnostic.message}`;
    throw error;
  }
  return undefined;
};

describe.skipIf(!hasGcc)("compileCConfig", () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "warden-ccache-"));
    process.env.WARDEN_CACHE_DIR = cache;
    setJailhouseSrc(undefined);
    delete process.env.WARDEN_JAILHOUSE_SRC;
  });
  afterEach(() => {
    delete process.env.WARDEN_CACHE_DIR;
  });

  it("builds a configuration whose bytes decode to what its initializers say, finding the tree by walking up", () => {
    const c = compileCConfig(fixtureCell);
    expect([c.arch, c.tree]).toEqual(["x86", miniTree]);
    const d = decodeConfig(c.bytes, fixtureCell);
    if (!d.ok || d.value.kind !== "cell") throw new Error("fixture did not decode as a cell");
    const cell = d.value.config;
    expect(cell.name).toBe("fixture-cell");
    expect(cell.cpus).toEqual([3]);
    expect(cell.memory_regions.map((m) => m.phys_start)).toEqual([
      0x3f800000n,
      0x3f000000n,
      0x3f900000n,
      0x3f901000n,
      0x3fa00000n,
    ]);
    expect(cell.pio_regions).toEqual([{ base: 0x3f8, length: 8 }]);
  });

  it("keeps the result in the cache outside the repository, keyed by content", () => {
    const first = compileCConfig(fixtureCell);
    expect(first.cellFile.startsWith(cache)).toBe(true);
    const mtime = statSync(first.cellFile).mtimeMs;
    expect(compileCConfig(fixtureCell).cellFile).toBe(first.cellFile);
    expect(statSync(first.cellFile).mtimeMs).toBe(mtime);
    const dir = mkdtempSync(join(tmpdir(), "warden-csrc-"));
    cpSync(miniTree, dir, { recursive: true });
    const edited = join(dir, "configs/x86/fixture-cell.c");
    writeFileSync(edited, readFileSync(edited, "utf8").replace("0x3fa00000,\n\t\t\t.virt", "0x3fb00000,\n\t\t\t.virt"));
    const second = compileCConfig(edited);
    expect(second.cellFile).not.toBe(first.cellFile);
    expect(Buffer.compare(second.bytes, first.bytes)).not.toBe(0);
  });

  it("takes the tree from --jailhouse-src before WARDEN_JAILHOUSE_SRC, and refuses a directory that is none", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "warden-csrc-"));
    const file = join(elsewhere, "cell.c");
    writeFileSync(file, readFileSync(fixtureCell));
    expect(codeOf(() => compileCConfig(file))).toMatch(/^WRD502 no Jailhouse source tree.*--jailhouse-src/);
    process.env.WARDEN_JAILHOUSE_SRC = miniTree;
    expect(compileCConfig(file).tree).toBe(miniTree);
    setJailhouseSrc(elsewhere);
    expect(codeOf(() => compileCConfig(file))).toMatch(/^WRD502 .* is not a Jailhouse source tree/);
    setJailhouseSrc(undefined);
  });

  it("reports a compile error with the compiler's first error line, naming file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-csrc-"));
    cpSync(miniTree, dir, { recursive: true });
    const broken = join(dir, "configs/x86/fixture-cell.c");
    writeFileSync(broken, readFileSync(broken, "utf8").replace(".size = 0x10000,", ".sise = 0x10000,"));
    expect(codeOf(() => compileCConfig(broken))).toMatch(
      /^WRD140 does not compile: .*fixture-cell\.c:\d+:\d+: error: .*sise/,
    );
    expect(existsSync(join(dir, "configs/x86/fixture-cell.cell"))).toBe(false);
  });

  it("asks for --arch when neither the directory nor an initializer tells the architecture", () => {
    const dir = mkdtempSync(join(tmpdir(), "warden-csrc-"));
    const file = join(dir, "cell.c");
    writeFileSync(file, readFileSync(fixtureCell, "utf8").replace(".architecture = JAILHOUSE_X86,", ""));
    process.env.WARDEN_JAILHOUSE_SRC = miniTree;
    expect(codeOf(() => compileCConfig(file))).toMatch(/^WRD141 /);
    expect(compileCConfig(file, "x86").arch).toBe("x86");
  });
});
