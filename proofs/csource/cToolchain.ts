import { spawnSync } from "node:child_process";
import type { Arch } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";

/** A compiler and its objcopy, plus the flags that make it emit the target's data layout. */
export interface CToolchain {
  readonly cc: string;
  readonly ccFlags: readonly string[];
  readonly objcopy: string;
}

const runs = (cmd: string, args: readonly string[]): boolean => {
  const r = spawnSync(cmd, args, { input: "int warden_probe;\n", encoding: "utf8" });
  return r.error === undefined && r.status === 0;
};

const cross = (prefix: string): CToolchain => ({ cc: `${prefix}gcc`, ccFlags: [], objcopy: `${prefix}objcopy` });
const host = (flags: readonly string[] = []): CToolchain => ({ cc: "gcc", ccFlags: flags, objcopy: "objcopy" });

/**
 * Candidates per architecture, best first: the cross compiler kbuild would use, then the host gcc
 * where it produces the same bytes. Upstream's configuration structures are all packed and built
 * from fixed-width types, so any little-endian gcc of the right word size lays them out alike;
 * 32-bit arm therefore builds with `gcc -m32` on an x86-64 host.
 */
function candidates(arch: Arch): CToolchain[] {
  const hostBits = process.arch === "x64" || process.arch === "arm64" ? 64 : 32;
  if (arch === "arm")
    return [
      cross("arm-linux-gnueabihf-"),
      cross("arm-linux-gnueabi-"),
      ...(process.arch === "x64" ? [host(["-m32"])] : hostBits === 32 ? [host()] : []),
    ];
  const prefix = arch === "x86" ? "x86_64-linux-gnu-" : "aarch64-linux-gnu-";
  return [cross(prefix), ...(hostBits === 64 ? [host()] : [])];
}

const chosen = new Map<Arch, CToolchain>();

/** The first working toolchain for `arch` (probed once per process); none is exit 3 with what to install. */
export function cToolchain(arch: Arch, file: string): CToolchain {
  const cached = chosen.get(arch);
  if (cached) return cached;
  const found = candidates(arch).find(
    (t) => runs(t.cc, [...t.ccFlags, "-x", "c", "-c", "-o", "/dev/null", "-"]) && runs(t.objcopy, ["--version"]),
  );
  if (!found) {
    const what =
      arch === "arm"
        ? "gcc with -m32 support (x86-64 host) or gcc-arm-linux-gnueabihf, and binutils"
        : "gcc and binutils (objcopy)";
    throw inputError("WRD502", `no C compiler for ${arch} configurations: install ${what}`, { file });
  }
  chosen.set(arch, found);
  return found;
}
