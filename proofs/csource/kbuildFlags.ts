import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Arch } from "../../hypervisor/index.js";

/**
 * The flags upstream's `configs/Makefile` gives kbuild for a configuration object: its
 * LINUXINCLUDE and KBUILD_CFLAGS, the `-include config.h` when the tree has one, and kbuild's own
 * `-nostdinc -D__KERNEL__`. The objcopy flags are the Makefile's OBJCOPYFLAGS.
 */
export function kbuildFlags(tree: string, arch: Arch): string[] {
  const config = join(tree, "include/jailhouse/config.h");
  return [
    "-nostdinc",
    "-D__KERNEL__",
    `-I${join(tree, "hypervisor/arch", arch, "include")}`,
    `-I${join(tree, "hypervisor/include")}`,
    `-I${join(tree, "include")}`,
    "-Werror",
    "-Wall",
    "-Wextra",
    "-D__LINUX_COMPILER_TYPES_H",
    ...(existsSync(config) ? ["-include", config] : []),
  ];
}

export const objcopyFlags = ["-O", "binary", "--remove-section=.note.gnu.property"] as const;

/** Headers whose content decides the bytes, for the cache key. */
export const headerDirs = (tree: string, arch: Arch): string[] => [
  join(tree, "include/jailhouse"),
  join(tree, "hypervisor/include/jailhouse"),
  join(tree, "hypervisor/arch", arch, "include/asm"),
];
