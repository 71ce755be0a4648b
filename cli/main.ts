#!/usr/bin/env node
/**
 * The `warden` command table. This file and `commands/` only wire options to pipeline stages in
 * `proofs/` and `generators/`; no verification logic lives here.
 */
import { Command } from "commander";
import { version } from "../proofs/index.js";
import { commands } from "./commands/index.js";

const program = new Command("warden")
  .description(
    "Verify partitioning hypervisors: Jailhouse configurations, executable models, model checking cross-checked with TLC, Z3 isolation proofs.",
  )
  .version(version, "-V, --version")
  .configureOutput({
    outputError: (text, write) => write(`warden: ${text.trim().split("\n")[0]} (see warden --help)\n`),
  })
  .exitOverride();

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { exitCode?: number; code?: string }).code;
  if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") process.exit(0);
  process.exit(2);
}
