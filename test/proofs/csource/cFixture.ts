/** The stand-in Jailhouse tree and whether this machine can compile its configurations. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const miniTree = fileURLToPath(new URL("../../fixtures/jailhouse-mini", import.meta.url));
export const fixtureCell = `${miniTree}/configs/x86/fixture-cell.c`;

export const hasGcc = spawnSync("gcc", ["--version"]).status === 0 && spawnSync("objcopy", ["--version"]).status === 0;
if (!hasGcc)
  process.stderr.write("[warden] C configuration tests skipped: gcc and objcopy (binutils) are not installed\n");
