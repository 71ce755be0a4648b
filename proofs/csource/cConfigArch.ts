import { basename, dirname } from "node:path";
import type { Arch } from "../../hypervisor/index.js";
import { inputError } from "../diagnostics/InputError.js";

const archByDir: Readonly<Record<string, Arch>> = { x86: "x86", arm: "arm", arm64: "arm64" };
const archByMacro: Readonly<Record<string, Arch>> = { X86: "x86", ARM: "arm", ARM64: "arm64" };

/**
 * The architecture a C configuration is built for. Upstream's kbuild builds `configs/<SRCARCH>/*.c`
 * for the kernel's architecture, so the directory decides; outside such a directory the
 * `.architecture = JAILHOUSE_<ARCH>` initializer does, then the caller's `--arch`.
 */
export function cConfigArch(file: string, source: string, fallback?: Arch): Arch {
  const byDir = archByDir[basename(dirname(file))];
  if (byDir) return byDir;
  const macro = /\.architecture\s*=\s*JAILHOUSE_(X86|ARM64|ARM)\b/.exec(source)?.[1];
  const byMacro = macro ? archByMacro[macro] : undefined;
  if (byMacro) return byMacro;
  if (fallback) return fallback;
  throw inputError(
    "WRD141",
    "cannot tell the architecture of this C configuration (not in configs/<arch>/, no .architecture initializer): pass --arch",
    { file },
  );
}
