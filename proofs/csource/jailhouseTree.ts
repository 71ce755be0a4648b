import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { inputError } from "../diagnostics/InputError.js";

/** Set by the CLI's `--jailhouse-src DIR`; wins over WARDEN_JAILHOUSE_SRC and the walk up. */
let explicitTree: string | undefined;

export function setJailhouseSrc(dir: string | undefined): void {
  explicitTree = dir;
}

/** A Jailhouse tree has the configuration ABI header and the hypervisor's type header. */
export const isJailhouseTree = (dir: string): boolean =>
  existsSync(join(dir, "include/jailhouse/cell-config.h")) &&
  existsSync(join(dir, "hypervisor/include/jailhouse/types.h"));

/**
 * The Jailhouse tree a C configuration is compiled against: `--jailhouse-src`, else
 * WARDEN_JAILHOUSE_SRC, else the first ancestor of the file that is a Jailhouse tree (where
 * upstream's own `configs/<arch>/*.c` live). None found is exit 3 with what to set.
 */
export function jailhouseTreeFor(cFile: string): string {
  const given = explicitTree ?? process.env.WARDEN_JAILHOUSE_SRC;
  if (given !== undefined && given !== "") {
    if (!isJailhouseTree(given))
      throw inputError(
        "WRD502",
        `${given} is not a Jailhouse source tree (no include/jailhouse/cell-config.h); check --jailhouse-src or WARDEN_JAILHOUSE_SRC`,
        { file: cFile },
      );
    return resolve(given);
  }
  for (let dir = dirname(resolve(cFile)); ; dir = dirname(dir)) {
    if (isJailhouseTree(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw inputError(
    "WRD502",
    "no Jailhouse source tree to compile this C configuration against: pass --jailhouse-src DIR or set WARDEN_JAILHOUSE_SRC (a checkout of Jailhouse)",
    { file: cFile },
  );
}
