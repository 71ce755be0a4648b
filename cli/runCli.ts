/**
 * The `warden` command line as a function: parses `args` (without `node` and the script), runs the
 * command and returns its exit code instead of exiting, so that tests can run thousands of
 * invocations in one process. `main.ts` is this plus `process.exitCode`.
 */
import { Command, CommanderError } from "commander";
import { initCParser, setJailhouseSrc, version } from "../proofs/index.js";
import { commands } from "./commands/index.js";
import { reportThrown } from "./runAction.js";

function program(): Command {
  const cli = new Command("warden")
    .description(
      "Verify partitioning hypervisors: Jailhouse configurations, executable models, model checking cross-checked with TLC, Z3 isolation proofs.",
    )
    .version(version, "-V, --version")
    .configureOutput({
      outputError: (text, write) => write(`warden: ${text.trim().split("\n")[0]} (see warden --help)\n`),
    })
    .option("--jailhouse-src <dir>", "Jailhouse tree to compile .c configurations against (else WARDEN_JAILHOUSE_SRC)")
    .exitOverride();
  for (const register of commands) register(cli);
  cli.hook("preAction", () => setJailhouseSrc(cli.opts<{ jailhouseSrc?: string }>().jailhouseSrc));
  return cli;
}

const helpCodes = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

export async function runCli(args: readonly string[]): Promise<number> {
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    // C configurations are parsed (for source lines) synchronously while they load; the grammar loads once here.
    if (args.some((a) => /\.c$/i.test(a))) await initCParser();
    await program().parseAsync([...args], { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return helpCodes.has(error.code) ? 0 : 2;
    return reportThrown(error);
  } finally {
    process.exitCode = outer;
  }
}
