/**
 * Every `warden` subcommand, one registrar per file. Adding a command is one import and one
 * array entry here.
 */
import type { Command } from "commander";

export type Register = (program: Command) => void;

export const commands: readonly Register[] = [];
