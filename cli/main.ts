#!/usr/bin/env node
/**
 * The `warden` command table. This file and `commands/` only wire options to pipeline stages in
 * `proofs/` and `generators/`; no verification logic lives here.
 */
import { Command } from "commander";
import { initCParser, setJailhouseSrc, version } from "../proofs/index.js";
import { commands } from "./commands/index.js";

const program = new Command("warden")
  .description(
    "Verify partitioning hypervisors: Jailhouse configurations, executable models, model checking cross-checked with TLC, Z3 isolation proofs.",
  )
  .version(version, "-V, --version")
  .configureOutput({
    outputError: (text, write) => write(`warden: ${text.trim().split("\n")[0]} (see warden --help)\n`),
  })
  .option("--jailhouse-src <dir>", "Jailhouse tree to compile .c configurations against (else WARDEN_JAILHOUSE_SRC)")
  .exitOverride();

for (const register of commands) register(program);
program.hook("preAction", () => setJailhouseSrc(program.opts<{ jailhouseSrc?: string }>().jailhouseSrc));
// C configurations are parsed (for source lines) synchronously while they load; the grammar loads once here.
if (process.argv.some((a) => /\.c$/i.test(a))) await initCParser();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { exitCode?: number; code?: string }).code;
  if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") process.exit(0);
  process.exit(2);
}
