/**
 * Builds the C harness (hypervisor/harness/) around upstream Jailhouse's own core files, taken
 * from the user's tree at run time and never copied into Warden (Jailhouse is GPL). The objects
 * and the program go to a cache directory outside the repository, keyed by the harness sources,
 * the upstream files and the compiler, so a second build with nothing changed is free.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inputError } from "../diagnostics/InputError.js";
import { packageRoot } from "../packageRoot.js";

/** Upstream's core files compiled unchanged (harness-facts.md: they compile as x86-64 host objects). */
export const UPSTREAM_CORE_FILES = ["control", "paging", "mmio", "pci", "ivshmem", "printk", "lib"] as const;
/** The harness's own freestanding files, in link order around upstream's (units_begin/end bound the unit table). */
const GLUE_FILES = ["arch", "glue"] as const;

export interface BuiltHarness {
  /** The harness program: speaks the conformance protocol on stdin/stdout. */
  readonly binary: string;
  readonly upstreamDir: string;
  /** `git rev-parse HEAD` of the tree, or "unknown (not a git checkout)". */
  readonly commit: string;
  /** Whether this call compiled (false: the cached program was reused). */
  readonly built: boolean;
}

export interface BuildOptions {
  /** Cache directory (default: warden-harness under the OS temporary directory). */
  readonly work?: string;
  /** Compiler (default: WARDEN_CC or gcc). */
  readonly cc?: string;
  /** Harness sources (default: hypervisor/harness of this package); tests hand in a broken copy. */
  readonly harnessDir?: string;
}

/** The upstream tree from --upstream-src or WARDEN_UPSTREAM_SRC; undefined when neither is given. */
export function upstreamSource(flag: string | undefined): string | undefined {
  const dir = flag ?? process.env.WARDEN_UPSTREAM_SRC;
  return dir === undefined || dir === "" ? undefined : resolve(dir);
}

export function upstreamCommit(dir: string): string {
  const r = spawnSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown (not a git checkout)";
}

export const harnessSourceDir = (): string => join(packageRoot, "hypervisor", "harness");

export function buildHarness(upstreamDir: string, options: BuildOptions = {}): BuiltHarness {
  const hv = join(upstreamDir, "hypervisor");
  if (!existsSync(join(hv, "control.c")))
    throw inputError(
      "WRD502",
      `${upstreamDir} is not a Jailhouse source tree (no hypervisor/control.c): give a checkout of github.com/siemens/jailhouse with --upstream-src or WARDEN_UPSTREAM_SRC`,
    );
  const cc = options.cc ?? process.env.WARDEN_CC ?? "gcc";
  const version = spawnSync(cc, ["--version"], { encoding: "utf8" });
  if (version.status !== 0)
    throw inputError(
      "WRD502",
      `no C compiler "${cc}" to build the harness: install gcc (Debian/Ubuntu: apt-get install gcc) or set WARDEN_CC`,
    );
  const commit = upstreamCommit(upstreamDir);
  const harnessDir = options.harnessDir ?? harnessSourceDir();
  const hash = createHash("sha256");
  hash.update(version.stdout);
  for (const f of readdirSync(harnessDir, { recursive: true, encoding: "utf8" }).sort()) {
    if (f.endsWith(".c") || f.endsWith(".h")) hash.update(f).update(readFileSync(join(harnessDir, f)));
  }
  for (const f of UPSTREAM_CORE_FILES) hash.update(readFileSync(join(hv, `${f}.c`)));
  hash.update(upstreamDir);
  const dir = join(options.work ?? join(tmpdir(), "warden-harness"), hash.digest("hex").slice(0, 16));
  const binary = join(dir, "harness");
  if (existsSync(binary)) return { binary, upstreamDir, commit, built: false };
  mkdirSync(dir, { recursive: true });

  const includes = [
    `-I${join(harnessDir, "include")}`, // our asm/processor.h ahead of upstream's
    `-I${join(hv, "arch/x86/include")}`,
    `-I${join(hv, "include")}`,
    `-I${join(upstreamDir, "include")}`,
    `-I${join(upstreamDir, "include/arch/x86")}`,
    `-I${harnessDir}`,
  ];
  const core = ["-c", "-O1", "-ffreestanding", "-fno-builtin", "-nostdinc", "-fno-stack-protector", "-fno-pie", "-w"];
  const run = (args: readonly string[], cwd: string, what: string) => {
    const r = spawnSync(cc, args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw buildFailure(what, `${r.stderr}${r.stdout}`, upstreamDir, commit);
  };
  const objects: string[] = [];
  const compile = (source: string, cwd: string, flags: readonly string[]) => {
    const object = join(dir, `${source.replace(/.*\//, "").replace(/\.c$/, "")}.o`);
    run([...flags, source, "-o", object], cwd, `compiling ${source}`);
    objects.push(object);
  };
  compile(join(harnessDir, "host.c"), dir, ["-c", "-O1", "-fno-pie", "-Wall", "-Wno-format-truncation"]);
  compile(join(harnessDir, "units_begin.c"), dir, [...core, ...includes]);
  for (const f of UPSTREAM_CORE_FILES) compile(`${f}.c`, hv, [...core, ...includes]);
  for (const f of GLUE_FILES) compile(join(harnessDir, `${f}.c`), dir, [...core, ...includes]);
  compile(join(harnessDir, "units_end.c"), dir, [...core, ...includes]);
  run(["-no-pie", "-o", `${binary}.tmp`, ...objects], dir, "linking the harness");
  renameSync(`${binary}.tmp`, binary);
  return { binary, upstreamDir, commit, built: true };
}

/** One line naming the missing symbol or header, the step and the upstream commit. */
function buildFailure(what: string, output: string, upstreamDir: string, commit: string) {
  const symbols = [...new Set([...output.matchAll(/undefined reference to [`']([^'`]+)'/g)].map((m) => m[1]))];
  const header = /fatal error: ([^:\s]+): No such file/.exec(output)?.[1];
  const first = output.split("\n").find((l) => /error/.test(l)) ?? output.split("\n")[0] ?? "";
  const why =
    symbols.length > 0
      ? `missing symbol${symbols.length > 1 ? "s" : ""} ${symbols.join(", ")}`
      : header
        ? `missing header ${header}`
        : first.trim();
  return inputError(
    "WRD503",
    `the C harness does not build against ${upstreamDir} (commit ${commit}): ${why} (${what})`,
  );
}
