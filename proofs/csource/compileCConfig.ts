import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Arch } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";
import { cConfigArch } from "./cConfigArch.js";
import { type CToolchain, cToolchain } from "./cToolchain.js";
import { jailhouseTreeFor } from "./jailhouseTree.js";
import { headerDirs, kbuildFlags, objcopyFlags } from "./kbuildFlags.js";

export interface CompiledConfig {
  readonly bytes: Buffer;
  readonly arch: Arch;
  readonly tree: string;
  /** The cached binary, for SARIF's related location. */
  readonly cellFile: string;
  readonly source: string;
}

/** Compiled configurations live outside the repository: WARDEN_CACHE_DIR, else the user's cache. */
export const cCacheDir = (): string =>
  join(
    process.env.WARDEN_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "warden"),
    "c-configs",
  );

function headersHash(dirs: readonly string[], hash: ReturnType<typeof createHash>): void {
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith(".h"))
      .sort()) {
      hash.update(`${name}\0`).update(readFileSync(join(dir, name)));
    }
  }
}

function cacheKey(source: Buffer, file: string, tree: string, arch: Arch, tools: CToolchain): string {
  const hash = createHash("sha256").update("warden-c-config-v1\0");
  hash.update(JSON.stringify([arch, tools, kbuildFlags(tree, arch), objcopyFlags])).update(source);
  headersHash([...headerDirs(tree, arch), dirname(resolve(file))], hash);
  return hash.digest("hex");
}

const firstError = (stderr: string): string =>
  stderr.split("\n").find((l) => /\berror\b/.test(l)) ?? stderr.split("\n").find((l) => l.trim() !== "") ?? "";

function run(cmd: string, args: readonly string[], file: string): ReturnType<typeof spawnSync> {
  // The C locale keeps compiler messages ASCII and the same on every machine.
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  if (r.error) throw inputError("WRD502", `cannot run ${cmd} (${(r.error as NodeJS.ErrnoException).code})`, { file });
  return r;
}

function build(file: string, tree: string, arch: Arch, tools: CToolchain, out: string): void {
  const work = mkdtempSync(join(tmpdir(), "warden-cc-"));
  try {
    const object = join(work, "config.o");
    const cc = run(tools.cc, [...tools.ccFlags, ...kbuildFlags(tree, arch), "-c", "-o", object, file], file);
    if (cc.status !== 0)
      throw inputError("WRD140", `does not compile: ${firstError(String(cc.stderr)).trim()}`, { file });
    const oc = run(tools.objcopy, [...objcopyFlags, object, join(work, "config.cell")], file);
    if (oc.status !== 0)
      throw inputError("WRD501", `objcopy failed: ${firstError(String(oc.stderr)).trim()}`, { file });
    mkdirSync(dirname(out), { recursive: true });
    renameSync(join(work, "config.cell"), out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Compiles a Jailhouse C configuration the way upstream's kbuild does (gcc, then
 * `objcopy -O binary`) against the tree of `jailhouseTreeFor`, reusing an earlier result with the
 * same source, headers, flags and toolchain. Compile errors are exit 2 with gcc's first error line.
 */
export function compileCConfig(file: string, fallbackArch?: Arch): CompiledConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError("WRD100", code === "ENOENT" ? "no such file" : `cannot read (${code ?? "error"})`, { file });
  }
  const source = bytes.toString("utf8");
  const arch = cConfigArch(file, source, fallbackArch);
  const tree = jailhouseTreeFor(file);
  const tools = cToolchain(arch, file);
  const cellFile = join(cCacheDir(), `${cacheKey(bytes, file, tree, arch, tools)}.cell`);
  if (!existsSync(cellFile)) {
    const partial = `${cellFile}.${process.pid}.tmp`;
    build(file, tree, arch, tools, partial);
    renameSync(partial, cellFile);
  }
  return { bytes: readFileSync(cellFile), arch, tree, cellFile, source };
}
